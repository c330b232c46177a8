import { ContextProvider } from '@lit/context';
import { JugglerClient } from '../../client/juggler-client.js';
import type { CallHandler, CallOptions } from '../../core/calls.js';
import {
  JugglerChangeEvent,
  JugglerCloseEvent,
  JugglerErrorEvent,
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
import { optionsFromAttributes, parseDelay } from './connection-options.js';

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
 * @attr url - Where to connect; changing it reconnects. Default: `ws[s]://<page host>/ws`.
 * @attr delay - Milliseconds that local changes are coalesced for, `0` to send each on its own, or `manual` to send only on `flush()`. Default 100.
 * @attr reconnect - `off` to stay closed after a connection is lost. This and the attributes below are read when the element first connects.
 * @attr reconnect-delay - First wait before reconnecting, in ms (default 500; doubles up to `reconnect-max-delay`).
 * @attr reconnect-max-delay - Longest wait between attempts, in ms (default 5000).
 * @attr ping-interval - Send a PING this often, in ms (off by default: older peers close on PING).
 * @attr ping-timeout - Close a connection silent this long after a PING, in ms.
 * @attr max-message-size - Largest accepted incoming message, in bytes (default 4 MiB).
 * @attr status - Reflects the status (read-only): `connecting`, `open`, `reconnecting` or `closed`.
 * @fires juggler-open - A connection opened ({@link JugglerOpenEvent}).
 * @fires juggler-close - The connection closed ({@link JugglerCloseEvent}: `code`, `reason`).
 * @fires juggler-change - Remote data changed ({@link JugglerChangeEvent}: `data`, `paths`, `patch`).
 * @fires juggler-message - The peer sent a MESSAGE ({@link JugglerMessageEvent}: `payload`).
 * @fires juggler-status - The status changed ({@link JugglerStatusEvent}: `status`, `previous`).
 * @fires juggler-error - Something went wrong ({@link JugglerErrorEvent}: `code`, `message`).
 * @cssstate connecting - Connecting for the first time.
 * @cssstate open - Connected.
 * @cssstate reconnecting - The connection was lost; trying again.
 * @cssstate closed - Not connected and not trying.
 */
export class JugglerConnection extends HTMLElement implements JugglerScope {
  static readonly observedAttributes = ['url', 'delay'];

  readonly #local = new LocalState();
  readonly #remoteListeners = new PathListeners();
  readonly #localListeners = new PathListeners();
  #client: JugglerClient | undefined;
  #internals: ElementInternals | undefined;
  #scopeProvider: ContextProvider<typeof jugglerScope> | undefined;
  #remoteProvider: ContextProvider<typeof jugglerRemoteState> | undefined;
  #closedByHand = false;

  /** The client under the element, created on first use. */
  get client(): JugglerClient {
    if (!this.#client) this.#client = this.#createClient();
    return this.#client;
  }

  get status(): ConnectionStatus {
    return this.#client?.status ?? 'closed';
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
    if (name === 'delay') this.#local.delay = parseDelay(value);
    if (name === 'url' && this.#client) {
      this.#client.url = value ?? undefined;
      if (this.#client.status !== 'closed') this.#client.reconnect();
    }
  }

  #createClient(): JugglerClient {
    this.#local.delay = parseDelay(this.getAttribute('delay'));
    const client = new JugglerClient({ ...optionsFromAttributes(this), localState: this.#local });
    client.addEventListener('open', () => this.dispatchEvent(new JugglerOpenEvent('juggler-open', elementEventInit)));
    client.addEventListener('close', (e) => this.dispatchEvent(new JugglerCloseEvent(e.code, e.reason, 'juggler-close', elementEventInit)));
    client.addEventListener('message', (e) => this.dispatchEvent(new JugglerMessageEvent(e.payload, 'juggler-message', elementEventInit)));
    client.addEventListener('error', (e) => this.dispatchEvent(new JugglerErrorEvent(e.error, 'juggler-error', elementEventInit)));
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
