import { applyPatch, defaultPatchLimits, type PatchLimits } from './apply-patch.js';
import { Calls, isCallFrame, type CallHandler, type CallOptions, type CallsOptions } from './calls.js';
import { diffChanges } from './diff.js';
import { CloseCode, JugglerError, closeReason } from './errors.js';
import { JugglerChangeEvent, JugglerCloseEvent, JugglerErrorEvent, JugglerMessageEvent, JugglerOpenEvent } from './events.js';
import type { JsonValue } from './json.js';
import { jsonSize } from './json-size.js';
import type { DataBudget } from './data-budget.js';
import { KeepAlive, type KeepAliveOptions } from './keep-alive.js';
import { LocalState, type DataSink, type WriteOptions } from './local-state.js';
import { encodeMessage, incomingLimits, parseMessage, type IncomingLimits } from './messages.js';
import type { Patch } from './operations.js';
import type { Delay } from './throttle.js';

/**
 * The largest data (estimated as `jsonSize` does) for which the first DATA of a
 * new connection is compared with the stale copy to report exact paths.
 */
const staleDiffLimit = 1024 * 1024;

/** The socket under a peer, as the peer needs it: the browser and Node adapters provide one. */
export interface Transport {
  send(frame: string): void;
  close(code: number, reason: string): void;
  /**
   * Whether the other side reads too slowly to be sent DATA now (its unsent
   * bytes are above a high-water mark). Optional, with `whenDrained`: a
   * transport without them (the browser's) gets every patch.
   */
  isBacklogged?(): boolean;
  /** Calls `listener` once, when a backlogged transport can take DATA again. */
  whenDrained?(listener: () => void): void;
}

export interface PeerOptions<Local = JsonValue> extends Partial<IncomingLimits>, KeepAliveOptions, CallsOptions {
  /**
   * Largest size remote data may reach, estimated as `jsonSize` does (default
   * 64 MiB). A patch that would pass it fails whole, with a `data-too-large` error.
   */
  maxDataSize?: number;
  /**
   * Most work one incoming patch may cause: array items its insertions and
   * removals shift, plus the walks over the values it adds, copies, removes or
   * replaces (default 10,000,000, tens of milliseconds at most). A patch
   * that would pass it fails whole, with a `patch-too-costly` error.
   */
  maxPatchWork?: number;
  /** A bound on the remote data of many peers together (a server's connections share one). */
  dataBudget?: DataBudget;
  /** Coalescing delay for the peer's own local data (ignored when `localState` is given). */
  delay?: Delay;
  /** Local data to send; pass one `LocalState` to many peers to broadcast it. */
  localState?: LocalState<Local>;
}

export interface JugglerPeerEventMap<Remote = JsonValue> {
  open: JugglerOpenEvent;
  close: JugglerCloseEvent;
  change: JugglerChangeEvent<Remote | null>;
  message: JugglerMessageEvent;
  error: JugglerErrorEvent;
}

/**
 * One side of a Juggler connection, with no socket code of its own: the
 * browser client and the Node peer feed it frames and give it a {@link Transport}.
 *
 * Local data lives in a {@link LocalState}; remote data is the other peer's
 * local data as patched in here. Every incoming frame is treated as hostile:
 * anything wrong with it fires `error` and closes the connection with a fitting
 * code, and neither remote nor local data is changed by it.
 *
 * Remote data is patched in place (see `applyPatch`); treat it as read-only and
 * use the `change` event's `paths` to see what moved.
 *
 * `Local` and `Remote` are the shapes of local and remote data, for type checks
 * only (default: any JSON); remote data is `null` until the other peer sends some.
 */
export class JugglerPeer<Local = JsonValue, Remote = JsonValue> extends EventTarget implements DataSink {
  #local: LocalState<Local>;
  #transport: Transport | undefined;
  /** The other peer's data as of this connection: `null` at every connect. */
  #remote: JsonValue = null;
  /** The estimated size of `#remote`, kept up to date patch by patch. */
  #remoteSize = 0;
  /** The estimated size of what `remoteData` shows (the previous connection's data while stale). */
  #shownSize = 0;
  readonly #budget: DataBudget | undefined;
  /** What this peer counts in the shared budget now. */
  #budgeted = 0;
  /** What `remoteData` shows: the previous connection's data until the new one sends its own. */
  #shown: JsonValue = null;
  #stale = false;
  /** True while `connected()` runs its `welcome` callback: the local state is followed after it. */
  #welcoming = false;
  /** Built at the first frame received: many connections (a dashboard's) only listen. */
  #limits: IncomingLimits | undefined;
  /** Built at the first patch, then kept: only `dataSize` changes from one patch to the next. */
  #patchLimits: PatchLimits | undefined;
  /** Only with `pingInterval`: off by default, and a server holds thousands of peers. */
  readonly #keepAlive: KeepAlive | undefined;
  /** The options, often one object for every peer of a server: what is needed only later is built from it then. */
  readonly #options: PeerOptions<Local>;
  /** Made at the first call, handler or call frame: most connections never call, and a server holds thousands. */
  #calls: Calls | undefined;

  constructor(options: PeerOptions<Local> = {}) {
    super();
    this.#local = options.localState ?? new LocalState<Local>({ delay: options.delay });
    this.#budget = options.dataBudget;
    if ((options.pingInterval ?? 0) > 0) {
      this.#keepAlive = new KeepAlive(
        options,
        () => this.#transport?.send(encodeMessage('PING', {})),
        () => this.abort(new JugglerError('ping-timeout', 'no answer to PING in time')),
      );
    }
    this.#options = options;
    if (options.actions) this.#calls = this.#createCalls();
  }

  /** Whether a connection is open. */
  get isOpen(): boolean {
    return this.#transport !== undefined;
  }

  get localState(): LocalState<Local> {
    return this.#local;
  }

  /** Switches to another local state (for example a shared one); an open connection gets its whole data. */
  set localState(state: LocalState<Local>) {
    if (state === this.#local) return;
    const previous = this.#local;
    this.#local = state;
    if (!this.isOpen || this.#welcoming) return;
    previous.unfollow(this);
    // The other peer holds the previous state's data: even null must be sent.
    state.follow(this, true);
  }

  get localData(): Local {
    return this.#local.data;
  }

  set localData(data: Local) {
    this.#local.replace(data);
  }

  /** Sets the local value at a JSON Pointer (see `LocalState.setAt`). */
  setAt(path: string, value: JsonValue, options?: WriteOptions): void {
    this.#local.setAt(path, value, options);
  }

  /** Inserts into a local array (see `LocalState.insertAt`). */
  insertAt(path: string, value: JsonValue): void {
    this.#local.insertAt(path, value);
  }

  /** Removes a local value (see `LocalState.removeAt`). */
  removeAt(path: string): void {
    this.#local.removeAt(path);
  }

  /** Sends pending local changes now. */
  flush(): boolean {
    return this.#local.flush();
  }

  /** The other peer's data. */
  get remoteData(): Remote | null {
    return this.#shown as Remote | null;
  }

  /**
   * True while `remoteData` is what an earlier connection delivered: after a
   * disconnect, until the new connection's first DATA arrives.
   */
  get remoteStale(): boolean {
    return this.#stale;
  }

  /**
   * Sends a MESSAGE now, never delayed. Throws a `not-open` JugglerError
   * without a connection; a client queues it instead (see `sendOrQueue`).
   */
  send(payload: JsonValue): void {
    this.sendOrQueue(encodeMessage('MESSAGE', payload));
  }

  /**
   * Calls `action` on the other peer with `args` and resolves with its result.
   * Rejects with a JugglerError: `call-failed` (the other peer's error text),
   * `call-timeout` (after `options.timeout`, default the peer's `callTimeout`),
   * `aborted` (`options.signal`), `connection-closed` (the connection ended
   * first), `too-many-calls` (`maxPendingCalls` are waiting), or `not-open`
   * (no connection; a client queues the call instead).
   */
  call(action: string, args: readonly JsonValue[] = [], options?: CallOptions): Promise<JsonValue> {
    return (this.#calls ??= this.#createCalls()).call(action, args, options);
  }

  /**
   * Answers the other peer's calls of `action` with `handler` (replacing any
   * handler it had); returns a function that removes it.
   */
  handle(action: string, handler: CallHandler): () => void {
    return (this.#calls ??= this.#createCalls()).handle(action, handler);
  }

  /** Calls of ours waiting for an answer. */
  get pendingCalls(): number {
    return this.#calls?.pending ?? 0;
  }

  /**
   * Sends a MESSAGE frame now; a peer that can wait for a connection (the
   * client) queues it instead and returns a function that takes it back.
   */
  protected sendOrQueue(frame: string): (() => void) | void {
    if (!this.#transport) throw new JugglerError('not-open', 'cannot send a message: no open connection');
    this.#transport.send(frame);
  }

  get #incomingLimits(): IncomingLimits {
    return (this.#limits ??= incomingLimits(this.#options));
  }

  get #maxDataSize(): number {
    return this.#options.maxDataSize ?? defaultPatchLimits.maxDataSize;
  }

  #createPatchLimits(): PatchLimits {
    return {
      maxDepth: this.#incomingLimits.maxDepth,
      maxCopiedBytes: this.#incomingLimits.maxMessageSize,
      maxDataSize: this.#maxDataSize,
      maxPatchWork: this.#options.maxPatchWork ?? defaultPatchLimits.maxPatchWork,
    };
  }

  #createCalls(): Calls {
    return new Calls(this.#options, {
      request: (frame) => this.sendOrQueue(frame),
      respond: (frame) => this.sendFrame(frame),
      report: (error) => this.dispatchEvent(new JugglerErrorEvent(error)),
      abort: (error) => this.abort(error),
    });
  }

  /** Closes the connection (code 1000 unless given). */
  close(code: number = CloseCode.normal, reason = ''): void {
    this.#transport?.close(code, reason);
  }

  /** @internal DataSink: a DATA frame from the local state. */
  sendFrame(frame: string): void {
    this.#transport?.send(frame);
  }

  /** @internal DataSink: whether the connection is too far behind for DATA now. */
  isBacklogged(): boolean {
    return this.#transport?.isBacklogged?.() ?? false;
  }

  /** @internal DataSink: calls `listener` once the connection can take DATA again. */
  whenDrained(listener: () => void): void {
    this.#transport?.whenDrained?.(listener);
  }

  /**
   * A connection opened on `transport`. Called by socket adapters. `welcome`
   * runs once the peer can send and before its local data goes out: a server
   * tells its application there, so the application can choose the local
   * state, send and call before anything else reaches the other side.
   */
  connected(transport: Transport, welcome?: () => void): void {
    if (this.#transport) this.#end(CloseCode.goingAway, 'replaced by a new connection');
    this.#transport = transport;
    this.#remote = null;
    this.#remoteSize = jsonSize(null);
    this.#stale = this.#shown !== null;
    if (welcome) {
      this.#welcoming = true;
      try {
        welcome();
      } finally {
        this.#welcoming = false;
      }
      // The application may have closed the connection already.
      if (this.#transport !== transport) return;
    }
    this.#local.follow(this);
    this.#keepAlive?.start();
    this.opened();
    this.dispatchEvent(new JugglerOpenEvent());
  }

  /** Runs when a connection is ready, after the local data went out and before `open` fires. */
  protected opened(): void {}

  /** A text frame arrived. Called by socket adapters. */
  receive(frame: string): void {
    if (!this.#transport) return;
    this.#keepAlive?.heard();
    let message;
    try {
      message = parseMessage(frame, this.#incomingLimits);
    } catch (error) {
      // Whatever a hostile frame makes go wrong ends this connection, never the process.
      return this.abort(error instanceof JugglerError ? error : new JugglerError('invalid-message', `cannot read the message: ${String(error)}`));
    }
    switch (message.type) {
      case 'DATA':
        return this.applyRemote(message.payload);
      case 'MESSAGE':
        if (isCallFrame(message.payload) && (this.#calls ??= this.#createCalls()).receive(message.payload)) return;
        this.dispatchEvent(new JugglerMessageEvent(message.payload));
        return;
      case 'PING':
        this.#transport.send(encodeMessage('PONG', {}));
        return;
      case 'PONG':
        return;
    }
  }

  /** A binary frame arrived: the protocol has none. Called by socket adapters. */
  receiveBinary(): void {
    if (this.#transport) this.abort(new JugglerError('binary-frame', 'binary frames are not part of the protocol'));
  }

  /** The connection closed. Called by socket adapters; a second call for the same connection is ignored. */
  disconnected(code: number, reason: string): void {
    this.#end(code, reason);
  }

  #end(code: number, reason: string): void {
    if (!this.#transport) return;
    this.#transport = undefined;
    this.#keepAlive?.stop();
    this.#local.unfollow(this);
    this.#stale = this.#shown !== null;
    // What this connection delivered no longer counts against the other connections.
    this.#budget?.change(-this.#budgeted);
    this.#budgeted = 0;
    // Before the application hears of the close: calls waiting have failed by then.
    this.#calls?.ended();
    this.dispatchEvent(new JugglerCloseEvent(code, reason));
  }

  /**
   * Gives up on the connection: fires `error`, asks the transport to close with
   * the error's close code, and counts the connection as closed at once (a dead
   * socket may never finish its closing handshake). Socket adapters call it for
   * errors their socket found first (an oversized frame, broken UTF-8).
   */
  abort(error: unknown): void {
    if (!(error instanceof JugglerError)) throw error;
    const transport = this.#transport;
    this.dispatchEvent(new JugglerErrorEvent(error));
    if (!transport || transport !== this.#transport) return;
    transport.close(error.closeCode, closeReason(error.message));
    this.disconnected(error.closeCode, error.message);
  }

  /**
   * Applies a patch from the other peer to remote data and fires `change`; a
   * patch that fails closes the connection. For dialects that carry patches in
   * other messages.
   */
  protected applyRemote(patch: JsonValue): void {
    let result;
    let paths: string[];
    try {
      const limits = (this.#patchLimits ??= this.#createPatchLimits());
      limits.dataSize = this.#remoteSize;
      if (this.#budget) limits.maxDataSize = Math.min(this.#maxDataSize, this.#budget.room(this.#budgeted));
      result = applyPatch(this.#remote, patch, limits);
      paths = result.paths;
      // The first data of a new connection replaces the stale copy: report what really differs. Comparing costs
      // up to depth × size, so past a size it is reported as a change of the whole document instead.
      if (this.#stale) {
        const small = Math.max(this.#shownSize, result.dataSize ?? Infinity) <= staleDiffLimit;
        paths = small ? diffChanges(this.#shown, result.doc).paths : [''];
      }
    } catch (error) {
      // Whatever a hostile patch makes go wrong ends this connection, never the process.
      return this.abort(error instanceof JugglerError ? error : new JugglerError('invalid-patch', `cannot apply the patch: ${String(error)}`));
    }
    this.#stale = false;
    this.#remote = result.doc;
    this.#remoteSize = result.dataSize!;
    if (this.#budget) {
      this.#budget.change(this.#remoteSize - this.#budgeted);
      this.#budgeted = this.#remoteSize;
    }
    this.#shown = result.doc;
    this.#shownSize = result.dataSize!;
    this.dispatchEvent(new JugglerChangeEvent(result.doc as Remote | null, paths, patch as Patch));
  }
}

export interface JugglerPeer<Local = JsonValue, Remote = JsonValue> {
  addEventListener<K extends keyof JugglerPeerEventMap>(
    type: K,
    listener: (this: JugglerPeer<Local, Remote>, event: JugglerPeerEventMap<Remote>[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof JugglerPeerEventMap>(
    type: K,
    listener: (this: JugglerPeer<Local, Remote>, event: JugglerPeerEventMap<Remote>[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
