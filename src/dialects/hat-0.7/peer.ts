import type { CallHandler, CallOptions } from '../../core/calls.js';
import { JugglerError } from '../../core/errors.js';
import { JugglerErrorEvent } from '../../core/events.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { JugglerPeer, type PeerOptions, type Transport } from '../../core/peer.js';
import { Answers } from './answers.js';
import { badCall, encodeNotify, encodeResponse, unexpectedType } from './messages.js';
import { Wire } from './wire.js';

/**
 * The server's side of one hat-juggler 0.7 connection (what `listen({ dialect:
 * 'hat-0.7' })` gives each client), with the {@link JugglerPeer} API:
 *
 * - local data (usually the server's shared `LocalState`) is the state the
 *   client follows: its DATA patches go out as `state` messages, coalesced by
 *   the state's delay as for the default dialect;
 * - the client's `request`s are answered by `actions` and `handle(name,
 *   handler)`, the handler getting the request's data; the empty name is the
 *   barrier, answered with its own data after the state changes pending then;
 * - `notify(name, data)` sends a one-way event;
 * - the client has no data (`remoteData` stays `null`) and cannot be called
 *   or sent a MESSAGE: `call()` rejects and `send()` throws `not-supported`.
 *
 * Any client message but a `request` closes the connection (`unknown-type`).
 */
export class Hat07Peer<Local = JsonValue, Remote = JsonValue> extends JugglerPeer<Local, Remote> {
  readonly #wire: Wire;
  readonly #answers: Answers;

  constructor(options: PeerOptions<Local> = {}) {
    // The core's PING keep-alive is the older protocol's: the wire keeps this one alive.
    super({ ...options, pingInterval: 0, actions: undefined });
    this.#wire = new Wire(options, (error) => this.abort(error));
    this.#answers = new Answers(
      options,
      (text) => this.sendFrame(text),
      (error) => this.dispatchEvent(new JugglerErrorEvent(error)),
    );
    this.addEventListener('close', () => {
      this.#answers.ended();
      this.#wire.closed();
    });
  }

  /** Sends a `notify` message now. Throws `not-open` without a connection. */
  notify(name: string, data: JsonValue = null): void {
    if (!this.isOpen) throw new JugglerError('not-open', 'cannot notify: no open connection');
    this.sendFrame(encodeNotify(name, data));
  }

  /** The dialect has no MESSAGE: throws `not-supported` (see `notify`). */
  override send(_payload: JsonValue): void {
    throw new JugglerError('not-supported', 'the hat-0.7 dialect has no messages from a server: use notify()');
  }

  /** A hat-0.7 server cannot call its client: rejects with `not-supported`. */
  override call(_action: string, _args?: readonly JsonValue[], _options?: CallOptions): Promise<JsonValue> {
    return Promise.reject(new JugglerError('not-supported', 'a hat-0.7 client takes no requests: use notify()'));
  }

  /** Answers the client's requests named `name` with `handler(data)`; returns a function that removes it. */
  override handle(name: string, handler: CallHandler): () => void {
    return this.#answers.handle(name, handler);
  }

  override connected(transport: Transport, welcome?: () => void): void {
    super.connected(Wire.writer(transport), welcome);
    // After: an earlier connection that this one replaces ends (and stops its keep-alive) inside.
    if (this.isOpen) this.#wire.open(transport);
  }

  override receive(frame: string): void {
    if (!this.isOpen) return;
    const message = this.#wire.read(frame);
    if (message) this.#take(message);
  }

  #take(message: JsonObject): void {
    if (message.type !== 'request') return this.abort(unexpectedType(message.type as string, 'client'));
    const bad = badCall(message);
    if (bad) return this.abort(bad);
    const id = message.id as number;
    const data = message.data ?? null;
    if (message.name !== '') return this.#answers.answer(id, message.name as string, data);
    // The barrier: what was pending before it reaches the client first. A pending change went out within the
    // delay (its timer started no later than now), so the answer waits as long instead of flushing: a client
    // sending barriers must not force the state out to every connection, change by change. Only a manual
    // delay, which nothing else flushes, is flushed here.
    const answer = encodeResponse(id, true, data);
    const delay = this.localState.delay;
    if (delay === 'manual') this.flush();
    else if (delay > 0) return void setTimeout(() => this.sendFrame(answer), delay);
    this.sendFrame(answer);
  }
}
