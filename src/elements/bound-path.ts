import { parsePointer } from '../core/json-pointer.js';
import type { JsonValue } from '../core/json.js';
import type { PathListener } from '../core/path-listeners.js';
import type { DataSource, JugglerScope } from './context.js';
import { checkAttribute, reportCaught } from './report-error.js';
import { ScopeConsumer } from './scope-consumer.js';

/**
 * The `path` and `source` attributes of an element, followed in its nearest
 * scope: the listener hears every change that touches the path, and once more
 * whenever the subscription itself changes (the element moved, or its path or
 * source did).
 */
export class BoundPath {
  readonly #host: HTMLElement;
  readonly #listener: PathListener;
  readonly #consumer: ScopeConsumer;
  #unsubscribe: (() => void) | undefined;
  /**
   * The path and source read, as of the last refresh (every change of them
   * refreshes): undefined while `path` is missing or not a JSON Pointer, so the
   * element shows nothing rather than throw on every change.
   */
  #reading: { path: string; source: DataSource | undefined } | undefined;

  constructor(host: HTMLElement, listener: PathListener) {
    this.#host = host;
    this.#listener = listener;
    this.#consumer = new ScopeConsumer(host, () => this.refresh());
  }

  get scope(): JugglerScope | undefined {
    return this.#consumer.scope;
  }

  get path(): string {
    return this.#host.getAttribute('path') ?? '';
  }

  /** The `source` attribute, or undefined to read what the scope reads (a list item: its list's source). */
  get source(): DataSource | undefined {
    const source = this.#host.getAttribute('source');
    return source === 'local' || source === 'remote' ? source : undefined;
  }

  /** The value at the path now, or undefined. */
  read(): JsonValue | undefined {
    const scope = this.scope;
    const reading = this.#reading;
    return scope && reading ? scope.read(reading.path, reading.source) : undefined;
  }

  connect(): void {
    this.#consumer.connect();
  }

  disconnect(): void {
    this.#stop();
    this.#consumer.disconnect();
  }

  /** Subscribes again (after the scope, `path` or `source` changed) and tells the listener. */
  refresh(): void {
    this.#stop();
    const scope = this.scope;
    if (!scope) return;
    checkAttribute(this.#host, 'source', ['remote', 'local']);
    const path = this.path;
    this.#reading = undefined;
    try {
      parsePointer(path);
      if (this.#host.hasAttribute('path')) this.#reading = { path, source: this.source };
    } catch (error) {
      reportCaught(this.#host, error);
    }
    if (this.#reading) this.#unsubscribe = scope.subscribe(path, this.#listener, this.#reading.source);
    this.#listener([scope.resolve(path)]);
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
