import { escapeToken } from '../../core/json-pointer.js';
import type { JsonValue } from '../../core/json.js';
import type { PathListener } from '../../core/path-listeners.js';
import type { DataSource, JugglerScope } from '../context.js';

interface Subscription {
  path: string;
  source: DataSource;
  unsubscribe: () => void;
}

/**
 * The scope of one `<juggler-list>` item: paths inside it are relative to the
 * item (`/name` is `/items/3/name`). When the item moves (an item before it was
 * removed), `moveTo` re-points every subscription and tells its listeners, so
 * the item's elements are reused rather than rebuilt.
 *
 * Writes go to local data. When the list reads remote data and has a `key`,
 * the item's position means nothing to the other peer by the time the write
 * arrives (its list may have changed since), so the item's local data is
 * addressed by its key instead: in a list at `/rows` keyed by `/id`, a write
 * at `/qty` in the item with id 7 goes to `/rows/7/qty` (and `source="local"`
 * reads inside the item read there too). A list over local data is that data:
 * its items are written where they are, at their current position, which the
 * list keeps up to date on every change.
 */
export class ItemScope implements JugglerScope {
  readonly #parent: JugglerScope;
  /** The item's path in the parent scope, by position. */
  #prefix: string;
  /** The item's path in the parent's local data, by key; undefined where the item is addressed by position. */
  readonly #keyPrefix: string | undefined;
  /** The data the list reads: what elements inside read unless they say otherwise. */
  readonly source: DataSource;
  /** The item's key (the value at the list's `key`), when it has one that is a string or a number. */
  readonly key: string | number | undefined;
  readonly #subscriptions = new Map<PathListener, Subscription>();

  constructor(parent: JugglerScope, listPath: string, prefix: string, source: DataSource, key: string | number | undefined) {
    this.#parent = parent;
    this.#prefix = prefix;
    this.source = source;
    this.key = key;
    this.#keyPrefix = source === 'remote' && key !== undefined ? `${listPath}/${escapeToken(String(key))}` : undefined;
  }

  get connection() {
    return this.#parent.connection;
  }

  /** The item's path in the parent scope for reads of `source`. */
  #at(source: DataSource): string {
    return source === 'local' && this.#keyPrefix !== undefined ? this.#keyPrefix : this.#prefix;
  }

  resolve(path: string): string {
    return this.#parent.resolve(this.#prefix + path);
  }

  writePath(path: string): string {
    return this.#parent.writePath(this.#at('local') + path);
  }

  read(path: string, source: DataSource = this.source): JsonValue | undefined {
    return this.#parent.read(this.#at(source) + path, source);
  }

  subscribe(path: string, listener: PathListener, source: DataSource = this.source): () => void {
    const subscription = { path, source, unsubscribe: this.#parent.subscribe(this.#at(source) + path, listener, source) };
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
      if (this.#at(subscription.source) !== prefix) continue;
      subscription.unsubscribe();
      subscription.unsubscribe = this.#parent.subscribe(prefix + subscription.path, listener, subscription.source);
      listener([this.resolve(subscription.path)]);
    }
  }
}
