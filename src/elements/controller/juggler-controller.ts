import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { ConnectionStatus } from '../../core/events.js';
import { freshContainer, type JsonValue } from '../../core/json.js';
import type { DataSource, JugglerScope } from '../context.js';
import type { JugglerConnection } from '../juggler-connection/juggler-connection.js';
import { ScopeConsumer } from '../scope-consumer.js';

export interface JugglerControllerOptions {
  /** JSON Pointer of the value to follow (relative to the item inside `<juggler-list>`). */
  path: string;
  /** `remote` (default) or `local`. */
  source?: DataSource;
}

/**
 * Lets your own Lit component follow one path of the nearest connection: the
 * host re-renders when a change touches the path (and when the status changes),
 * and can write to local data and send messages.
 *
 * ```ts
 * class Gauge extends LitElement {
 *   #load = new JugglerController<number>(this, { path: '/load' });
 *   render() {
 *     return html`<meter .value=${this.#load.value ?? 0}></meter>
 *       <button @click=${() => this.#load.write(0)}>reset</button>`;
 *   }
 * }
 * ```
 */
export class JugglerController<T extends JsonValue = JsonValue> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: JugglerControllerOptions;
  readonly #consumer: ScopeConsumer;
  #scope: JugglerScope | undefined;
  #unsubscribe: (() => void) | undefined;
  /** The value handed out since the last change, so `value` is stable between changes and new after one. */
  #value: { current: T | undefined } | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: JugglerControllerOptions) {
    this.#host = host;
    this.#options = options;
    this.#consumer = new ScopeConsumer(host, (scope) => this.#follow(scope));
    host.addController(this);
  }

  /**
   * The value at the path, or undefined when there is none (yet). An object or
   * array is a new shallow copy after each change, so Lit's property bindings
   * (which compare by identity) see it change.
   */
  get value(): T | undefined {
    this.#value ??= { current: freshContainer(this.#scope?.read(this.#options.path, this.#options.source)) as T | undefined };
    return this.#value.current;
  }

  /** The nearest connection element, once found. */
  get connection(): JugglerConnection | undefined {
    return this.#scope?.connection;
  }

  get status(): ConnectionStatus {
    return this.connection?.status ?? 'closed';
  }

  /**
   * Writes to local data at the path (or at `path` when given, relative to the
   * same scope). The write is sent even when it repeats the last one: it stands
   * for a user's action, and the other side may have moved on since.
   */
  write(value: JsonValue, path = this.#options.path): void {
    if (!this.#scope) throw new Error(`no <juggler-connection> around <${this.#host.localName}>`);
    this.#scope.connection.setAt(this.#scope.writePath(path), value, { force: true });
  }

  /** Sends a MESSAGE through the nearest connection. */
  send(payload: JsonValue): void {
    if (!this.#scope) throw new Error(`no <juggler-connection> around <${this.#host.localName}>`);
    this.#scope.connection.send(payload);
  }

  hostConnected(): void {
    // The scope consumer asks for the nearest scope; its answer calls #follow.
    this.#consumer.connect();
  }

  hostDisconnected(): void {
    this.#consumer.disconnect();
  }

  /** The nearest scope was found, or lost (`undefined`: the host left the page). */
  #follow(scope: JugglerScope | undefined): void {
    this.#stop();
    this.#scope = scope;
    this.#value = undefined;
    if (!scope) return;
    this.#unsubscribe = scope.subscribe(this.#options.path, this.#update, this.#options.source);
    scope.connection.addEventListener('juggler-status', this.#update);
    this.#host.requestUpdate();
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#scope?.connection.removeEventListener('juggler-status', this.#update);
  }

  #update = (): void => {
    this.#value = undefined;
    this.#host.requestUpdate();
  };
}
