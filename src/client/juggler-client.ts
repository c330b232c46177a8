import { CloseCode, JugglerError, closeReason } from '../core/errors.js';
import { JugglerErrorEvent, JugglerStatusEvent, type ConnectionStatus } from '../core/events.js';
import { JugglerPeer, type JugglerPeerEventMap, type PeerOptions } from '../core/peer.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { browserCloseCode, defaultUrl } from './default-url.js';

/** A value, or a function that gives it afresh (and possibly later) on every connect. */
export type PerConnect<T> = T | (() => T | Promise<T>);

export interface ReconnectOptions extends BackoffOptions {
  /**
   * How long a connection must stay up before the backoff starts again from the
   * shortest wait, in ms (default 2,000). A server that accepts and drops every
   * connection at once still meets a growing wait; one that flaps but serves for
   * a while is rejoined within the shortest wait.
   */
  stableAfter?: number;
}

/**
 * The part of the WebSocket API the client uses; `ws` in Node provides it too.
 * A socket without `bufferedAmount` is never closed for `maxSendBuffer`.
 */
export type SocketLike = Pick<WebSocket, 'readyState' | 'send' | 'close' | 'addEventListener' | 'removeEventListener'> & Partial<Pick<WebSocket, 'bufferedAmount'>>;

export interface ClientOptions extends PeerOptions {
  /** Where to connect (default `ws[s]://<page host>/ws`). */
  url?: string | URL;
  /** WebSocket subprotocols; a function is called on every connect (for example to pass a fresh token). */
  protocols?: PerConnect<string | string[] | undefined>;
  /** Query parameters added to the URL; a function is called on every connect. */
  params?: PerConnect<Record<string, string> | undefined>;
  /** Backoff settings, or `false` to stay closed after a connection is lost. */
  reconnect?: ReconnectOptions | false;
  /** Retry at once when the page becomes visible again (default true). */
  reconnectOnVisible?: boolean;
  /** Retry at once when the browser says the network is back (default true). */
  reconnectOnOnline?: boolean;
  /** How many messages `send()` keeps while disconnected before it throws `queue-full` (default 1,000). */
  maxQueuedMessages?: number;
  /**
   * How long an attempt may take to open, in ms (default 10,000): a server that
   * accepts TCP and never answers the handshake would otherwise hold the client
   * forever. The attempt is then abandoned with a `connect-failed` error and
   * retried with backoff. `0` waits as long as the socket does.
   */
  connectTimeout?: number;
  /**
   * Most bytes a connection may hold unsent (default 16 MiB). A server that
   * stops reading while it sends PINGs or calls would otherwise have the
   * client hold their answers without end. Checked before every frame goes
   * out: past it the connection is closed at once with a `slow-consumer`
   * error (close code 1013: 4013 from a browser; `connect()` cuts the socket)
   * and the client reconnects with the backoff. Raise it if the application
   * sends more than that in one go.
   */
  maxSendBuffer?: number;
  /** Makes the socket; the default is the browser's `WebSocket`. */
  createSocket?: (url: string, protocols: string | string[] | undefined) => SocketLike;
  /**
   * Says why a socket fired `error`, for sockets that know (the Node client's
   * `ws`); the client reports it and gives up on the socket. Browsers say
   * nothing about why, so without it an `error` waits for the `close` after it.
   */
  describeSocketError?: (event: Event) => JugglerError;
}

export interface JugglerClientEventMap extends JugglerPeerEventMap {
  status: JugglerStatusEvent;
}

/**
 * A Juggler peer that owns a WebSocket: connects, reconnects with backoff, and
 * keeps what the application wrote while it was away.
 *
 * Status: `connecting` until the first connection opens, `open`, `reconnecting`
 * after an open connection was lost (retries included), `closed` before
 * `connect()`, after `close()`, or when reconnecting is turned off.
 *
 * Across a reconnect nothing is lost: local data written while disconnected goes
 * out as the first patch of the new connection; remote data of the old
 * connection stays (with `remoteStale` true) until the new one delivers its
 * own; and messages sent while disconnected are queued, in order, and handed
 * to the socket as soon as a connection opens. The queue is bounded: past
 * `maxQueuedMessages`, `send()` throws a `queue-full` JugglerError.
 *
 * A MESSAGE is delivered at most once: the protocol has no acknowledgements, so
 * a message handed to a socket that then dies (even the first socket after a
 * reconnect) is gone. What must be confirmed needs an answer from the other
 * peer (a call with a response).
 *
 * A peer that speaks another protocol (`unsupported-dialect`) closes the client
 * for good (status `closed`): retrying cannot help.
 */
export class JugglerClient extends JugglerPeer {
  url: string | URL | undefined;
  protocols: PerConnect<string | string[] | undefined>;
  params: PerConnect<Record<string, string> | undefined>;
  /**
   * Sees every text frame: `in` as it arrives (before it is handled), `out` as
   * it goes to the socket. For tools that watch the traffic, such as
   * `<juggler-inspector>`; unset (the default) it costs one property check per
   * frame. It must not throw, nor keep what it is given beyond need.
   */
  tap: ((direction: 'in' | 'out', frame: string) => void) | undefined;

  #status: ConnectionStatus = 'closed';
  #socket: SocketLike | undefined;
  #everOpened = false;
  /** Bumped whenever an attempt becomes obsolete, so a late async step can tell. */
  #generation = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #openTimer: ReturnType<typeof setTimeout> | undefined;
  #stableTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set by an error no retry can cure; `connect()` and `reconnect()` try again all the same. */
  #hopeless = false;
  readonly #queue: string[] = [];
  readonly #backoff: Backoff;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions = {}) {
    super(options);
    this.#options = options;
    this.url = options.url;
    this.protocols = options.protocols;
    this.params = options.params;
    this.#backoff = new Backoff(options.reconnect || {});
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Messages waiting for a connection. */
  get queuedMessages(): number {
    return this.#queue.length;
  }

  /** Starts connecting (and keeps reconnecting) until `close()`. Does nothing if already started. */
  connect(): void {
    if (this.#status !== 'closed') return;
    this.#everOpened = false;
    this.#hopeless = false;
    this.#listenToPage(true);
    this.#setStatus('connecting');
    void this.#attempt();
  }

  /** Drops the current connection, if any, and connects again now. */
  reconnect(): void {
    this.#backoff.reset();
    this.#hopeless = false;
    this.#endSocket(CloseCode.normal, 'reconnecting');
    if (this.#status === 'closed') return this.connect();
    this.#setStatus(this.#everOpened ? 'reconnecting' : 'connecting');
    void this.#attempt();
  }

  /** Closes the connection and stops reconnecting. Queued messages stay queued for a later `connect()`. */
  override close(code: number = CloseCode.normal, reason = ''): void {
    this.#listenToPage(false);
    this.#endSocket(code, reason);
    this.#setStatus('closed');
  }

  /**
   * Queues while disconnected, messages (`send()`) and calls alike (see the
   * class notes): they go out when a connection opens.
   */
  protected override sendOrQueue(frame: string): (() => void) | void {
    if (this.isOpen) return super.sendOrQueue(frame);
    const limit = this.#options.maxQueuedMessages ?? 1000;
    if (this.#queue.length >= limit) {
      throw new JugglerError('queue-full', `${limit} messages are already waiting for a connection`);
    }
    this.#queue.push(frame);
    return () => {
      const at = this.#queue.indexOf(frame);
      if (at >= 0) this.#queue.splice(at, 1);
    };
  }

  /** Gives up on the connection (see JugglerPeer); an error that says retrying is useless stops the client. */
  override abort(error: unknown): void {
    if (error instanceof JugglerError && error.code === 'unsupported-dialect') this.#hopeless = true;
    super.abort(error);
  }

  /** Called when the core gives up on a connection (bad frame, dead keep-alive): drop the socket and retry. */
  override disconnected(code: number, reason: string): void {
    if (this.#socket) this.#socketEnded(this.#socket, code, reason);
    else super.disconnected(code, reason);
  }

  async #attempt(): Promise<void> {
    const generation = ++this.#generation;
    this.#clearTimers();
    let socket: SocketLike;
    try {
      const [protocols, params] = await Promise.all([resolve(this.protocols), resolve(this.params)]);
      if (generation !== this.#generation) return;
      // Relative and http(s) addresses are allowed: `/ws` on an https page becomes wss://<host>/ws.
      const url = new URL(String(this.url ?? defaultUrl()), globalThis.location?.href);
      url.protocol = url.protocol.replace(/^http/, 'ws');
      for (const [name, value] of Object.entries(params ?? {})) url.searchParams.set(name, value);
      const create = this.#options.createSocket ?? ((u, p) => new WebSocket(u, p));
      socket = create(url.href, protocols);
    } catch (error) {
      if (generation !== this.#generation) return;
      // Retry first: a listener of the error may call reconnect(), which must win.
      this.#retryLater();
      this.dispatchEvent(new JugglerErrorEvent(new JugglerError('connect-failed', `cannot connect: ${(error as Error).message}`)));
      return;
    }
    this.#socket = socket;
    const current = () => socket === this.#socket;
    const onOpen = () => current() && this.#socketOpened(socket);
    const onMessage = (event: MessageEvent) => {
      if (!current()) return;
      if (typeof event.data !== 'string') return this.receiveBinary();
      this.tap?.('in', event.data);
      this.receive(event.data);
    };
    const onClose = (event: CloseEvent) => this.#socketEnded(socket, event.code, event.reason);
    const describe = this.#options.describeSocketError;
    const onError = (event: Event) => describe && this.#socketFailed(socket, describe(event));
    socket.addEventListener('open', onOpen);
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
    // Never removed: `ws` throws an `error` nobody listens to, and a dropped socket may still fire one.
    socket.addEventListener('error', onError);
    const timeout = this.#options.connectTimeout ?? 10_000;
    if (timeout > 0) {
      this.#openTimer = setTimeout(() => this.#socketFailed(socket, new JugglerError('connect-failed', `connection failed: no answer within ${timeout} ms`)), timeout);
    }
    this.#detach = () => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
    };
  }

  #detach: () => void = () => {};

  /** Queued messages go out right after the local data and before anyone hears of the connection. */
  protected override opened(): void {
    for (const frame of this.#queue.splice(0)) this.sendFrame(frame);
    this.#everOpened = true;
    this.#setStatus('open');
  }

  #socketOpened(socket: SocketLike): void {
    clearTimeout(this.#openTimer);
    const max = this.#options.maxSendBuffer ?? 2 ** 24; // 16 MiB
    this.connected({
      send: (frame) => {
        // Answers to a server that stops reading would pile up here: a browser socket cannot stop reading.
        if (socket.bufferedAmount! > max) return this.abort(new JugglerError('slow-consumer', `over ${max} bytes unsent`));
        this.tap?.('out', frame);
        socket.send(frame);
      },
      close: (code, reason) => socket.close(browserCloseCode(code), closeReason(reason)),
    });
    const stableAfter = (this.#options.reconnect || {}).stableAfter ?? 2000;
    this.#stableTimer = setTimeout(() => this.#backoff.reset(), stableAfter);
  }

  /** The socket closed, failed to open, or was given up on: tell the core, then retry or stop. */
  #socketEnded(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    const generation = this.#endSocket(code, reason);
    // A `close` listener may have called reconnect() (or close()): then that attempt is the one.
    if (this.#status !== 'closed' && generation === this.#generation) this.#retryLater();
  }

  /** The socket failed or took too long to open: report why, then treat it as lost. */
  #socketFailed(socket: SocketLike, error: JugglerError): void {
    if (socket !== this.#socket) return;
    if (this.isOpen) return this.abort(error);
    // Retry first: a listener of the error may call reconnect(), which must win.
    this.#socketEnded(socket, error.closeCode, error.message);
    this.dispatchEvent(new JugglerErrorEvent(error));
  }

  /** Forgets the current socket (closing it if still open) and ends the connection in the core; returns the new generation. */
  #endSocket(code: number, reason: string): number {
    const generation = ++this.#generation;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      this.#detach();
      if (socket.readyState <= 1) socket.close(browserCloseCode(code), closeReason(reason));
    }
    super.disconnected(code, reason);
    return generation;
  }

  #retryLater(): void {
    if (this.#options.reconnect === false || this.#hopeless) {
      this.#listenToPage(false);
      return this.#setStatus('closed');
    }
    // Arm the timer before telling anyone: a status listener that calls reconnect() clears it.
    const generation = this.#generation;
    this.#retryTimer = setTimeout(() => {
      if (generation === this.#generation) void this.#attempt();
    }, this.#backoff.next());
    this.#setStatus(this.#everOpened ? 'reconnecting' : 'connecting');
  }

  /** A retry is waiting: try now (the page is visible again, or the network is back). */
  #retryNow = (): void => {
    if (this.#retryTimer === undefined) return;
    if (globalThis.document?.visibilityState === 'hidden') return;
    void this.#attempt();
  };

  #listenToPage(on: boolean): void {
    const method = on ? 'addEventListener' : 'removeEventListener';
    if (this.#options.reconnectOnVisible !== false) globalThis.document?.[method]('visibilitychange', this.#retryNow);
    if (this.#options.reconnectOnOnline !== false && typeof globalThis.window !== 'undefined') {
      globalThis.window[method]('online', this.#retryNow);
    }
  }

  #clearTimers(): void {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#openTimer);
    clearTimeout(this.#stableTimer);
    this.#retryTimer = undefined;
    this.#stableTimer = undefined;
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    const previous = this.#status;
    this.#status = status;
    this.dispatchEvent(new JugglerStatusEvent(status, previous));
  }
}

async function resolve<T>(value: PerConnect<T>): Promise<T> {
  return typeof value === 'function' ? (value as () => T | Promise<T>)() : value;
}

export interface JugglerClient {
  addEventListener<K extends keyof JugglerClientEventMap>(
    type: K,
    listener: (this: JugglerClient, event: JugglerClientEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof JugglerClientEventMap>(
    type: K,
    listener: (this: JugglerClient, event: JugglerClientEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
