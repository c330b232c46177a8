import type { JsonValue } from '../../core/json.js';
import type { PathListener } from '../../core/path-listeners.js';
import type { DataSource, JugglerScope } from '../context.js';

interface Subscription {
  path: string;
  source: DataSource | undefined;
  unsubscribe: () => void;
}

/**
 * The scope of one `<juggler-list>` item: paths inside it are relative to the
 * item (`/name` is `/items/3/name`). When the item moves (an item before it was
 * removed), `moveTo` re-points every subscription and tells its listeners, so
 * the item's elements are reused rather than rebuilt.
 */
export class ItemScope implements JugglerScope {
  readonly #parent: JugglerScope;
  /** The item's path in the parent scope. */
  #prefix: string;
  /** The list's source: what elements inside read unless they say otherwise. */
  readonly #source: DataSource | undefined;
  readonly #subscriptions = new Map<PathListener, Subscription>();

  constructor(parent: JugglerScope, prefix: string, source: DataSource | undefined) {
    this.#parent = parent;
    this.#prefix = prefix;
    this.#source = source;
  }

  get connection() {
    return this.#parent.connection;
  }

  resolve(path: string): string {
    return this.#parent.resolve(this.#prefix + path);
  }

  read(path: string, source: DataSource | undefined = this.#source): JsonValue | undefined {
    return this.#parent.read(this.#prefix + path, source);
  }

  subscribe(path: string, listener: PathListener, source: DataSource | undefined = this.#source): () => void {
    const subscription = { path, source, unsubscribe: this.#parent.subscribe(this.#prefix + path, listener, source) };
    this.#subscriptions.set(listener, subscription);
    return () => {
      subscription.unsubscribe();
      this.#subscriptions.delete(listener);
    };
  }

  /** The item is now at `prefix` in the parent scope. */
  moveTo(prefix: string): void {
    if (prefix === this.#prefix) return;
    this.#prefix = prefix;
    for (const [listener, subscription] of this.#subscriptions) {
      subscription.unsubscribe();
      subscription.unsubscribe = this.#parent.subscribe(prefix + subscription.path, listener, subscription.source);
      listener([this.resolve(subscription.path)]);
    }
  }
}
