import { JugglerClient, type ClientOptions, type JugglerClientEventMap } from '../../client/juggler-client.js';
import type { CallHandler, CallOptions } from '../../core/calls.js';
import { JugglerError } from '../../core/errors.js';
import { JugglerErrorEvent } from '../../core/events.js';
import { hasOwn, type JsonObject, type JsonValue } from '../../core/json.js';
import type { LocalState } from '../../core/local-state.js';
import type { Transport } from '../../core/peer.js';
import { JugglerNotifyEvent } from './events.js';
import { badCall, unexpectedType } from './messages.js';
import { NoLocalData, noLocalData } from './no-local-data.js';
import { Requests } from './requests.js';
import { Wire } from './wire.js';

export interface Hat07ClientEventMap extends JugglerClientEventMap {
  notify: JugglerNotifyEvent;
}

/**
 * A client of a hat-juggler 0.7 server, with the {@link JugglerClient} API
 * (reconnecting, queueing, `remoteData` and `change`), speaking that dialect:
 *
 * - the server's `state` patches are its remote data, as DATA would be;
 * - `call(name, [data])` sends a `request` carrying `data` (one value: `args[0]`,
 *   `null` when empty) and resolves with the response's data; `call('')` is the
 *   barrier, answered once the state changes the server had queued before it
 *   have arrived;
 * - the server's `notify` messages fire `notify` ({@link JugglerNotifyEvent});
 * - there is no local data and no MESSAGE: `setAt`, `insertAt`, `removeAt`,
 *   `localData = …`, `send()` and `handle()` throw `not-supported`.
 *
 * Keep-alive is on: `pingInterval` (default 30 s) is the silence after which it
 * pings, `pingTimeout` (default 30 s) how long it then waits for any frame.
 */
export class Hat07Client extends JugglerClient {
  readonly #wire: Wire;
  readonly #requests: Requests;

  constructor(options: ClientOptions = {}) {
    // The core's PING keep-alive is the older protocol's: the wire keeps this one alive.
    super({ ...options, localState: new NoLocalData(), pingInterval: 0 });
    this.#wire = new Wire(options, (error) => this.abort(error));
    this.#requests = new Requests(options, (text) => this.sendOrQueue(text));
    this.addEventListener('close', () => {
      this.#requests.ended();
      this.#wire.closed();
    });
  }

  override get localState(): LocalState {
    return super.localState;
  }
  override set localState(_state: LocalState) {
    throw noLocalData();
  }

  /** Messages of the older protocol do not exist here: throws `not-supported`. */
  override send(_payload: JsonValue): void {
    throw new JugglerError('not-supported', 'the hat-0.7 dialect has no messages from a client: use call()');
  }

  /** Sends request `name` carrying `args[0]` (see the class notes); queued while disconnected. */
  override call(name: string, args: readonly JsonValue[] = [], options?: CallOptions): Promise<JsonValue> {
    return this.#requests.call(name, args, options);
  }

  /** A hat-0.7 server makes no requests: throws `not-supported`. */
  override handle(_action: string, _handler: CallHandler): () => void {
    throw new JugglerError('not-supported', 'a hat-0.7 server does not call its clients: listen for notify instead');
  }

  override get pendingCalls(): number {
    return this.#requests.pending;
  }

  /** While open, a message goes out at once, cut into segments by the wire. */
  protected override sendOrQueue(text: string): (() => void) | void {
    if (this.isOpen) return this.sendFrame(text);
    return super.sendOrQueue(text);
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
    switch (message.type) {
      case 'state':
        if (!hasOwn(message, 'diff')) return this.abort(new JugglerError('invalid-message', 'state message has no "diff"'));
        return this.applyRemote(message.diff!);
      case 'notify':
        if (typeof message.name !== 'string') return this.abort(new JugglerError('invalid-message', 'notify message has no "name" string'));
        this.dispatchEvent(new JugglerNotifyEvent(message.name, message.data ?? null));
        return;
      case 'response': {
        const error = badCall(message) ?? this.#requests.settle(message.id as number, message.success as boolean, message.data ?? null);
        if (!error) return;
        if (error.code === 'invalid-call') return this.abort(error);
        this.dispatchEvent(new JugglerErrorEvent(error));
        return;
      }
      default:
        return this.abort(unexpectedType(message.type as string, 'server'));
    }
  }
}

export interface Hat07Client {
  addEventListener<K extends keyof Hat07ClientEventMap>(
    type: K,
    listener: (this: Hat07Client, event: Hat07ClientEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof Hat07ClientEventMap>(
    type: K,
    listener: (this: Hat07Client, event: Hat07ClientEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
