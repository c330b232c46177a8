import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, JugglerError } from '../core/errors.js';
import { defaultLimits } from '../core/messages.js';
import { DataBudget } from '../core/data-budget.js';
import { JugglerPeer, type PeerOptions } from '../core/peer.js';
import type { JsonValue } from '../core/json.js';
import type { LocalState } from '../core/local-state.js';
import { attachSocket } from './attach-socket.js';
import type { SendBufferLimits } from './send-buffer.js';
import { ConnectionCounter, socketLimit, type ConnectionLimits, type Refusal } from './connection-limits.js';
import { isHostAllowed, isLoopbackAddress, isOriginAllowed, type AllowedHosts, type AllowedOrigins } from './origin-check.js';
import { kitBundleFiles } from './kit-bundle.js';
import { quote, ServerLog, type ServerLogger } from './server-log.js';
import { serveStatic } from './static-files.js';
import { Hat07Peer } from '../dialects/hat-0.7/peer.js';

/** The default bound on the remote data of all of a server's connections together (`maxTotalDataSize`). */
const defaultMaxTotalDataSize = 1024 * 1024 * 1024;

/**
 * `Local` and `Remote`, here and on the server, are the shapes of the server's
 * data and of each page's, for type checks only (default: any JSON).
 */
export interface ListenOptions<Local = JsonValue, Remote = JsonValue>
  extends PeerOptions<Local>,
    SendBufferLimits {
  /** Interface to listen on (default `127.0.0.1`; `0.0.0.0` for every interface). */
  host?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** Path of the WebSocket endpoint (default `/ws`, as the reference client expects). */
  path?: string;
  /** A folder served over HTTP beside the endpoint (no hidden files, nothing outside it; see {@link serveStatic}). */
  staticDir?: string;
  /** More URL paths served from files elsewhere (where `staticDir` has no such file, or without one). */
  extraFiles?: Readonly<Record<string, string>>;
  /**
   * Whether to serve the kit's browser bundle at `/juggler-elements.js` (and its
   * `.map`) where `staticDir` has no such file (default: with a `staticDir`).
   * It is the built `dist/juggler-elements.js`; without a build those paths are 404s.
   */
  serveBundle?: boolean;
  /** Pages allowed to connect (see {@link AllowedOrigins}); same-origin pages by default. */
  allowedOrigins?: AllowedOrigins;
  /**
   * On loopback, the Host names answered besides loopback ones and the hosts of
   * listed origins, e.g. a reverse proxy's (see {@link isHostAllowed}); others get 403.
   */
  allowedHosts?: AllowedHosts;
  /** One local state every connection follows: the patch is serialised once for all. */
  sharedState?: LocalState<Local>;
  /** Called for every new connection, before any frame arrives. */
  onConnection?: (peer: JugglerPeer<Local, Remote>, request: IncomingMessage) => void;
  /**
   * The most WebSocket connections held at once, in all (default 1,000) and from
   * one remote address (default 100). One more is refused before the upgrade:
   * HTTP 503 past the total, 429 past the per-address limit, both with `Retry-After`.
   */
  maxConnections?: ConnectionLimits;
  /**
   * The most remote data all connections may hold together, estimated as
   * `jsonSize` does (default 1 GiB): each connection's `maxDataSize` bounds
   * one, this bounds their sum. A patch that would pass it fails whole, with
   * a `data-too-large` error and close 1009.
   */
  maxTotalDataSize?: number;
  /**
   * Where to report refused requests, connections opened and closed, and their
   * errors, one line each (default: nowhere; `console` works). See {@link ServerLogger}.
   */
  logger?: ServerLogger;
  /** How long `close()` waits for connections to finish closing before cutting them, in ms (default 2,000). */
  shutdownTimeout?: number;
  /**
   * How long, in ms, a client has to send a whole HTTP request (a WebSocket
   * handshake, a file request) before it gets 408 and its socket is closed
   * (default 10,000). Unfinished requests count against no connection limit.
   */
  handshakeTimeout?: number;
  /**
   * Serve another protocol instead of Juggler's: `'hat-0.7'` gives every
   * connection a `Hat07Peer` (see the README's "The newer hat dialect").
   */
  dialect?: 'hat-0.7';
}

/** A new connection on a {@link JugglerServer}. */
export class JugglerConnectionEvent<Local = JsonValue, Remote = JsonValue> extends Event {
  readonly peer: JugglerPeer<Local, Remote>;
  readonly request: IncomingMessage;
  constructor(peer: JugglerPeer<Local, Remote>, request: IncomingMessage) {
    super('connection');
    this.peer = peer;
    this.request = request;
  }
}

/** The events of a {@link JugglerServer}. */
export interface JugglerServerEventMap<Local = JsonValue, Remote = JsonValue> {
  connection: JugglerConnectionEvent<Local, Remote>;
}

/** A running Juggler endpoint (and static file server). Fires `connection` ({@link JugglerConnectionEvent}). */
export class JugglerServer<Local = JsonValue, Remote = JsonValue> extends EventTarget {
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly #peers = new Map<JugglerPeer<Local, Remote>, WebSocket>();
  readonly #options: ListenOptions<Local, Remote>;
  readonly #counter: ConnectionCounter;
  readonly #createPeer: (options: PeerOptions<Local>) => JugglerPeer<Local, Remote>;
  /** What every connection's peer is given: the options, one shared state, and the data budget they share. */
  readonly #peerOptions: PeerOptions<Local>;
  #closing: Promise<void> | undefined;

  constructor(http: Server, wss: WebSocketServer, options: ListenOptions<Local, Remote>) {
    super();
    this.#http = http;
    this.#wss = wss;
    this.#options = options;
    this.#counter = new ConnectionCounter(options.maxConnections);
    this.#createPeer = peerFactory(options.dialect);
    const dataBudget = new DataBudget(options.maxTotalDataSize ?? defaultMaxTotalDataSize);
    this.#peerOptions = { ...options, dataBudget, ...(options.sharedState ? { localState: options.sharedState } : {}) };
  }

  /** The port actually bound. */
  get port(): number {
    return (this.#http.address() as AddressInfo).port;
  }

  /** The HTTP address of the static files, e.g. `http://127.0.0.1:8080/`. */
  get httpUrl(): string {
    const { address, family } = this.#http.address() as AddressInfo;
    const host = address === '0.0.0.0' || address === '::' ? 'localhost' : family === 'IPv6' ? `[${address}]` : address;
    return `http://${host}:${this.port}/`;
  }

  /** The WebSocket address, e.g. `ws://127.0.0.1:8080/ws`. */
  get url(): string {
    return `${this.httpUrl.replace(/^http/, 'ws').replace(/\/$/, '')}${this.#options.path ?? '/ws'}`;
  }

  /** True once `close()` was called: new connections are refused. */
  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** The open connections: a copy, made at each read (for how many there are, read `connectionCount`). */
  get peers(): ReadonlySet<JugglerPeer<Local, Remote>> {
    return new Set(this.#peers.keys());
  }

  /** How many connections are open, without copying them. */
  get connectionCount(): number {
    return this.#peers.size;
  }

  /**
   * Stops accepting connections, closes every open one with 1001 (going away),
   * waits for them to finish (cutting the rest after `shutdownTimeout`), and
   * stops the HTTP server.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const sockets = [...this.#peers.values()];
      const closed = sockets.map((socket) => new Promise((done) => socket.once('close', done)));
      for (const peer of this.#peers.keys()) peer.close(CloseCode.goingAway, 'server shutting down');
      const timeout = new Promise((done) => setTimeout(done, this.#options.shutdownTimeout ?? 2000).unref());
      await Promise.race([Promise.all(closed), timeout]);
      for (const socket of sockets) socket.terminate();
      await new Promise((done) => this.#wss.close(done));
      await new Promise((done) => {
        this.#http.close(done);
        this.#http.closeAllConnections();
      });
    })();
    return this.#closing;
  }

  /** @internal Why one more connection from this request would cross a limit, if it would. */
  refusal(request: IncomingMessage): Refusal | undefined {
    return this.#counter.refusal(request.socket.remoteAddress ?? '');
  }

  /** @internal */
  accept(socket: WebSocket, request: IncomingMessage): void {
    const options = this.#options;
    const peer = this.#createPeer(this.#peerOptions);
    this.#peers.set(peer, socket);
    const address = request.socket.remoteAddress ?? '';
    this.#counter.add(address);
    const closed = () => {
      this.#peers.delete(peer);
      this.#counter.remove(address);
    };
    attachSocket(peer, socket, options, { welcome: this.#welcome(peer, request), closed });
  }

  /**
   * The application hears of the connection once the peer can send and call,
   * before its local data goes out. A closure of its own: one made in `accept`
   * would share its scope with `closed`, which lives as long as the socket, and
   * keep the upgrade request (a few KB) alive for as long.
   */
  #welcome(peer: JugglerPeer<Local, Remote>, request: IncomingMessage): () => void {
    return () => {
      this.#options.onConnection?.(peer, request);
      this.dispatchEvent(new JugglerConnectionEvent(peer, request));
    };
  }
}

/** How long a client has to send its whole HTTP request: Node's own 60 s would let unfinished ones pile up. */
const defaultHandshakeTimeout = 10_000;

/**
 * Starts a Juggler endpoint on `ws`: every connection gets a {@link JugglerPeer}
 * (the same API as the browser client), with the same hostile-input rules, an
 * Origin check and a per-message size limit.
 */
export async function listen<Local = JsonValue, Remote = JsonValue>(
  options: ListenOptions<Local, Remote> = {},
): Promise<JugglerServer<Local, Remote>> {
  const path = options.path ?? '/ws';
  const extraFiles = { ...((options.serveBundle ?? Boolean(options.staticDir)) ? kitBundleFiles() : {}), ...options.extraFiles };
  const files = options.staticDir || Object.keys(extraFiles).length > 0 ? serveStatic(options.staticDir, extraFiles) : undefined;
  // Known once bound (see below); until then, the stricter answer.
  let loopback = true;
  const log = options.logger && new ServerLog(options.logger);
  const handshakeTimeout = options.handshakeTimeout ?? defaultHandshakeTimeout;
  const timeouts = {
    headersTimeout: handshakeTimeout,
    requestTimeout: handshakeTimeout,
    // Node looks for requests past their time only this often (30 s by default).
    connectionsCheckingInterval: Math.min(1000, handshakeTimeout),
  };
  const http = createServer(timeouts, (request, response) => {
    if (!isHostAllowed(request, options.allowedHosts, options.allowedOrigins, loopback)) {
      log?.refused(request, 403, `Host ${quote(request.headers.host ?? '')} is not answered here`);
      return void response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: this server does not answer under that Host name');
    }
    if (files) return void files(request, response);
    response.writeHead(404).end();
  });
  http.maxConnections = socketLimit(options.maxConnections);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageSize ?? defaultLimits.maxMessageSize,
    // The server keeps its connections itself (`peers`): ws's own set would cost every connection a listener more.
    clientTracking: false,
  });
  const server = new JugglerServer<Local, Remote>(http, wss, options);
  if (log) server.addEventListener('connection', ({ peer, request }) => log.opened(peer, request));
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node's HTTP server stops watching a socket once it emits 'upgrade': a client that
    // resets it while we answer would raise an unhandled 'error' and end the process.
    const dropOnError = () => socket.destroy();
    socket.on('error', dropOnError);
    const deny = (status: number, text: string, why: string, headers?: Readonly<Record<string, string>>) => {
      log?.refused(request, status, why);
      refuse(socket, status, text, headers);
    };
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://x').pathname;
    } catch {
      return deny(400, 'Bad Request', 'unreadable request URL');
    }
    // The path only: a query string can carry a token, and is never logged.
    if (pathname !== path) return deny(404, 'Not Found', `no WebSocket endpoint at ${quote(pathname)}`);
    if (server.closing) return deny(503, 'Service Unavailable', 'the server is shutting down');
    if (!isOriginAllowed(request, options.allowedOrigins, loopback, options.allowedHosts)) {
      return deny(403, 'Forbidden', `origin ${quote(request.headers.origin ?? '')} is not allowed under Host ${quote(request.headers.host ?? '')}`);
    }
    const full = server.refusal(request);
    if (full) return deny(full.status, full.text, full.status === 429 ? 'too many connections from this address' : 'too many connections', full.headers);
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', dropOnError);
      server.accept(ws, request);
    });
  });
  await new Promise<void>((done, fail) => {
    http.once('error', fail);
    http.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      http.off('error', fail);
      loopback = isLoopbackAddress((http.address() as AddressInfo).address);
      done();
    });
  });
  return server;
}

export interface JugglerServer<Local = JsonValue, Remote = JsonValue> {
  addEventListener<K extends keyof JugglerServerEventMap>(
    type: K,
    listener: (this: JugglerServer<Local, Remote>, event: JugglerServerEventMap<Local, Remote>[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof JugglerServerEventMap>(
    type: K,
    listener: (this: JugglerServer<Local, Remote>, event: JugglerServerEventMap<Local, Remote>[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** How a server of `dialect` makes the peer of each connection; an unknown dialect throws before the server listens. */
function peerFactory<Local, Remote>(dialect: string | undefined): (options: PeerOptions<Local>) => JugglerPeer<Local, Remote> {
  if (dialect === undefined) return (options) => new JugglerPeer(options);
  if (dialect === 'hat-0.7') return (options) => new Hat07Peer(options);
  throw new JugglerError('unsupported-dialect', `a server cannot speak the dialect ${JSON.stringify(dialect)}: only "hat-0.7" is known`);
}

/** Answers a refused upgrade and closes the socket once the answer is out, whatever the client does. */
function refuse(socket: Duplex, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`);
}
