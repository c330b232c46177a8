import { ContextProvider } from '@lit/context';
import { JugglerClient, type ClientOptions, type PerConnect } from '../../client/juggler-client.js';
import { JugglerError } from '../../core/errors.js';
import type { CallHandler, CallOptions } from '../../core/calls.js';
import {
  JugglerChangeEvent,
  JugglerCloseEvent,
  JugglerMessageEvent,
  JugglerOpenEvent,
  JugglerStatusEvent,
  type ConnectionStatus,
} from '../../core/events.js';
import { parsePointer } from '../../core/json-pointer.js';
import { walk, type JsonValue } from '../../core/json.js';
import { LocalState, type WriteOptions } from '../../core/local-state.js';
import { PathListeners, type PathListener } from '../../core/path-listeners.js';
import { jugglerRemoteState, jugglerScope, type DataSource, type JugglerScope, type RemoteState } from '../context.js';
import { elementEventInit } from '../events.js';
import { checkAttribute, reportError } from '../report-error.js';
import { optionsFromAttributes, parseDelay } from './connection-options.js';
import { dialectClients } from './dialects.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import { ElementBase } from '../element-base.js';

const statuses: readonly ConnectionStatus[] = ['connecting', 'open', 'reconnecting', 'closed'];

/**
 * Owns one Juggler connection and shares it with every element inside it, across
 * shadow roots and slots, through the context protocol.
 *
 * It opens its socket when it is put in the document and closes it when it is
 * taken out (a move within the same task keeps the connection). The constructor
 * does no socket or DOM work, so importing and creating it is safe anywhere.
 *
 * @summary A live connection to a Juggler peer.
 * @tag juggler-connection
 * @attr {string} url - Where to connect; changing it reconnects. Default: `ws[s]://<page host>/ws`.
 * @attr {number | 'manual'} [delay=100] - Milliseconds that local changes are coalesced for, `0` to send each on its own, or `manual` to send only on `flush()`. Default 100.
 * @attr {'off'} reconnect - `off` to stay closed after a connection is lost. This and the attributes below are read when the element first connects.
 * @attr {number} [reconnect-delay=500] - First wait before reconnecting, in ms (default 500; doubles up to `reconnect-max-delay`).
 * @attr {number} [reconnect-max-delay=5000] - Longest wait between attempts, in ms (default 5000).
 * @attr {number} ping-interval - Send a PING this often, in ms (off by default: older peers close on PING).
 * @attr {number} ping-timeout - Close a connection silent this long after a PING, in ms.
 * @attr {number} [max-message-size=4194304] - Largest accepted incoming message, in bytes (default 4 MiB).
 * @attr {string} dialect - Speak another protocol: `hat-0.7` (hat-juggler 0.7's), once `juggler-elements/hat-0.7` is imported. Read when the element first connects.
 * @attr {'connecting' | 'open' | 'reconnecting' | 'closed'} status - Reflects the status (read-only): `connecting`, `open`, `reconnecting` or `closed`.
 * @fires {JugglerOpenEvent} juggler-open - A connection opened.
 * @fires {JugglerCloseEvent} juggler-close - The connection closed (`code`, `reason`).
 * @fires {JugglerChangeEvent} juggler-change - Remote data changed (`data`, `paths`, `patch`).
 * @fires {JugglerMessageEvent} juggler-message - The peer sent a MESSAGE (`payload`).
 * @fires {JugglerStatusEvent} juggler-status - The status changed (`status`, `previous`).
 * @fires {JugglerNotifyEvent} juggler-notify - With `dialect="hat-0.7"`: the server sent a `notify` (`name`, `data`).
 * @fires {JugglerErrorEvent} juggler-error - Something went wrong (`code`, `message`); cancel it to keep it off the console.
 * @slot - The page that uses the connection: binds, lists, buttons, any content (shown as it is).
 * @cssstate connecting - Connecting for the first time.
 * @cssstate open - Connected.
 * @cssstate reconnecting - The connection was lost; trying again.
 * @cssstate closed - Not connected and not trying.
 */
export class JugglerConnection extends ElementBase implements JugglerScope {
  /**
   * Registers the class as `tag` (default `juggler-connection`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-connection', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  static readonly observedAttributes = ['url', 'delay'];

  /** Local data: the element's own, or the client's when its dialect has none (that state refuses writes). */
  #local = new LocalState();
  readonly #remoteListeners = new PathListeners();
  readonly #localListeners = new PathListeners();
  #client: JugglerClient | undefined;
  #internals: ElementInternals | undefined;
  #scopeProvider: ContextProvider<typeof jugglerScope> | undefined;
  #remoteProvider: ContextProvider<typeof jugglerRemoteState> | undefined;
  #closedByHand = false;
  #params: PerConnect<Record<string, string> | undefined>;
  #protocols: PerConnect<string | string[] | undefined>;
  #lastError: JugglerError | undefined;

  /** The client under the element, created on first use. */
  get client(): JugglerClient {
    if (!this.#client) this.#client = this.#createClient();
    return this.#client;
  }

  get status(): ConnectionStatus {
    return this.#client?.status ?? 'closed';
  }

  /**
   * Why the connection is not open, when something went wrong: the last error
   * since a connection last opened (a server that cannot be reached, a bad
   * frame from the peer), or undefined.
   */
  get lastError(): JugglerError | undefined {
    return this.#lastError;
  }

  /**
   * Query parameters added to `url`, or a function (sync or async) called on
   * every connect, reconnects included: return a fresh token from it.
   */
  get params(): PerConnect<Record<string, string> | undefined> {
    return this.#params;
  }
  set params(params: PerConnect<Record<string, string> | undefined>) {
    this.#params = params;
    if (this.#client) this.#client.params = params;
  }

  /** WebSocket subprotocols, or a function (sync or async) called on every connect. */
  get protocols(): PerConnect<string | string[] | undefined> {
    return this.#protocols;
  }
  set protocols(protocols: PerConnect<string | string[] | undefined>) {
    this.#protocols = protocols;
    if (this.#client) this.#client.protocols = protocols;
  }

  /** This page's data, sent to the peer. Assign a new document to replace it (only what differs is sent). */
  get localData(): JsonValue {
    return this.#local.data;
  }
  set localData(data: JsonValue) {
    this.#local.replace(data);
  }

  /** The peer's data (read-only; patched in place). */
  get remoteData(): JsonValue {
    return this.#client?.remoteData ?? null;
  }

  /** True while `remoteData` is from a connection that has since closed. */
  get remoteStale(): boolean {
    return this.#client?.remoteStale ?? false;
  }

  /** Sends a MESSAGE now (queued while disconnected). */
  send(payload: JsonValue): void {
    this.client.send(payload);
  }

  /** Calls `action` on the peer and resolves with its answer (see `JugglerPeer.call`); queued while disconnected. */
  call(action: string, args?: readonly JsonValue[], options?: CallOptions): Promise<JsonValue> {
    return this.client.call(action, args, options);
  }

  /** Answers the peer's calls of `action` with `handler`; returns a function that removes it. */
  handle(action: string, handler: CallHandler): () => void {
    return this.client.handle(action, handler);
  }

  /** Sets local data at a JSON Pointer; sent after the delay (with `force`, even when the value is the same). */
  setAt(path: string, value: JsonValue, options?: WriteOptions): void {
    this.#local.setAt(path, value, options);
  }

  /** Inserts into a local array at a JSON Pointer (`-` appends). */
  insertAt(path: string, value: JsonValue): void {
    this.#local.insertAt(path, value);
  }

  /** Removes local data at a JSON Pointer. */
  removeAt(path: string): void {
    this.#local.removeAt(path);
  }

  /** Sends pending local changes now. */
  flush(): boolean {
    return this.#local.flush();
  }

  /** Drops the connection, if any, and connects again now. */
  reconnect(): void {
    this.#closedByHand = false;
    this.client.reconnect();
  }

  /** Closes the connection and stops reconnecting until `reconnect()` (or until the element is put back in a document). */
  close(): void {
    this.#closedByHand = true;
    this.#client?.close();
  }

  // JugglerScope: the connection is the outermost scope.
  get connection(): JugglerConnection {
    return this;
  }

  resolve(path: string): string {
    return path;
  }

  writePath(path: string): string {
    return path;
  }

  read(path: string, source: DataSource = 'remote'): JsonValue | undefined {
    const tokens = parsePointer(path);
    const found = walk(source === 'local' ? this.localData : this.remoteData, tokens);
    return found.depth === tokens.length ? found.node : undefined;
  }

  subscribe(path: string, listener: PathListener, source: DataSource = 'remote'): () => void {
    return (source === 'local' ? this.#localListeners : this.#remoteListeners).add(path, listener);
  }

  connectedCallback(): void {
    if (!this.#scopeProvider) {
      this.attachShadow({ mode: 'open' }).innerHTML = '<style>:host{display:contents}</style><slot></slot>';
      this.#internals = this.attachInternals();
      this.#scopeProvider = new ContextProvider(this, { context: jugglerScope, initialValue: this });
      this.#remoteProvider = new ContextProvider(this, { context: jugglerRemoteState, initialValue: this.#remoteState([]) });
      this.#local.addEventListener('change', (event) => this.#localListeners.notify((event as JugglerChangeEvent).paths));
    }
    // Set on the element before its tag was defined, they are own properties that hide the accessors: take them over.
    for (const name of ['params', 'protocols'] as const) {
      if (!Object.hasOwn(this, name)) continue;
      const value = this[name];
      delete (this as Partial<this>)[name];
      this[name] = value as never;
    }
    this.#scopeProvider.hostConnected();
    this.#remoteProvider!.hostConnected();
    const client = this.client;
    if (!this.#closedByHand) client.connect();
    this.#showStatus(client.status);
  }

  disconnectedCallback(): void {
    // A move (removed and put back in the same task) keeps the connection.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#client?.close();
      // Put back in a document later, it connects again even after close().
      this.#closedByHand = false;
    });
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === 'delay') {
      if (value !== null && !/^\s*(manual|\d+(\.\d*)?)\s*$/.test(value)) {
        reportError(this, new JugglerError('invalid-value', `delay=${JSON.stringify(value)} is not a number of ms or "manual"; 100 is used`), 'warn');
      }
      this.#local.delay = parseDelay(value);
    }
    if (name === 'url' && this.#client) {
      this.#client.url = value ?? undefined;
      if (this.#client.status !== 'closed') this.#client.reconnect();
    }
  }

  #createClient(): JugglerClient {
    this.#local.delay = parseDelay(this.getAttribute('delay'));
    checkAttribute(this, 'reconnect', ['on', 'off']);
    const options: ClientOptions = {
      ...optionsFromAttributes(this),
      localState: this.#local,
      params: this.#params,
      protocols: this.#protocols,
      createSocket: (url, protocols) => this.#createSocket(url, protocols),
    };
    const dialect = this.getAttribute('dialect');
    // Null without the attribute; undefined for a dialect whose module was not imported.
    const make = dialect && dialectClients[dialect];
    if (make === undefined) {
      // Every attempt fails, saying why: never a socket that speaks the wrong protocol.
      options.reconnect = false;
      options.createSocket = () => {
        throw new Error(`dialect="${dialect}" is not loaded`);
      };
    }
    const client = make ? make(options, this) : new JugglerClient(options);
    this.#local = client.localState;
    client.addEventListener('open', () => {
      this.#lastError = undefined;
      this.dispatchEvent(new JugglerOpenEvent('juggler-open', elementEventInit));
    });
    client.addEventListener('close', (e) => this.dispatchEvent(new JugglerCloseEvent(e.code, e.reason, 'juggler-close', elementEventInit)));
    client.addEventListener('message', (e) => this.dispatchEvent(new JugglerMessageEvent(e.payload, 'juggler-message', elementEventInit)));
    client.addEventListener('error', (e) => this.#failed(e.error));
    client.addEventListener('change', (e) => {
      this.#remoteListeners.notify(e.paths);
      this.#remoteProvider?.setValue(this.#remoteState(e.paths));
      this.dispatchEvent(new JugglerChangeEvent(e.data, e.paths, e.patch, 'juggler-change', elementEventInit));
    });
    client.addEventListener('status', (e) => {
      this.#showStatus(e.status);
      this.#remoteProvider?.setValue(this.#remoteState([]));
      this.dispatchEvent(new JugglerStatusEvent(e.status, e.previous, 'juggler-status', elementEventInit));
    });
    return client;
  }

  /**
   * A browser tells a page nothing about a WebSocket that could not be opened
   * (refused, no answer, a 404, a 403 from an Origin check): only `error`, then
   * `close` with 1006 and no reason. Watching the socket is the only way to
   * say why the status stays "connecting".
   */
  #createSocket(url: string, protocols: string | string[] | undefined): WebSocket {
    const socket = new WebSocket(url, protocols);
    let opened = false;
    socket.addEventListener('open', () => (opened = true));
    socket.addEventListener('close', ({ code }) => {
      if (opened) return;
      // The query is left out: it may hold a token.
      const address = url.split('?')[0];
      const reason = `cannot reach ${address}: the server refused or did not answer (close ${code})`;
      this.#failed(new JugglerError('connect-failed', reason));
    });
    return socket;
  }

  #failed(error: JugglerError): void {
    this.#lastError = error;
    reportError(this, error);
  }

  #remoteState(paths: readonly string[]): RemoteState {
    return { data: this.remoteData, paths, stale: this.remoteStale };
  }

  /** Status for CSS: a reflected attribute and a custom state (`:state(open)`). */
  #showStatus(status: ConnectionStatus): void {
    this.setAttribute('status', status);
    const states = this.#internals?.states;
    if (!states) return;
    for (const other of statuses) if (other !== status) states.delete(other);
    states.add(status);
  }
}
