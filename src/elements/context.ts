import { createContext } from '@lit/context';
import type { JsonValue } from '../core/json.js';
import type { PathListener } from '../core/path-listeners.js';
import type { JugglerConnection } from './juggler-connection/juggler-connection.js';

/** Which data an element reads: the other peer's (`remote`, the default) or this page's own (`local`). */
export type DataSource = 'remote' | 'local';

/**
 * What `<juggler-connection>` hands to the elements inside it, and what a
 * `<juggler-list>` item hands to the elements inside that item: the same API
 * with paths resolved relative to the item.
 */
export interface JugglerScope {
  /** The connection element, for status, events, `send()` and writes. */
  readonly connection: JugglerConnection;
  /** The absolute JSON Pointer of a path read in this scope. */
  resolve(path: string): string;
  /**
   * The absolute JSON Pointer in local data that a write at `path` in this
   * scope goes to: inside an item of a keyed list over remote data, the item
   * is addressed by its key rather than its position.
   */
  writePath(path: string): string;
  /** The value at a path, or undefined when there is none. Without a source, the scope's own (remote for a connection, the list's for an item). */
  read(path: string, source?: DataSource): JsonValue | undefined;
  /** Calls `listener` whenever a change touches the path (or above or below it); returns the unsubscribe function. */
  subscribe(path: string, listener: PathListener, source?: DataSource): () => void;
}

/** The remote data with what last changed in it: a new object on every change. */
export interface RemoteState {
  readonly data: JsonValue;
  readonly paths: readonly string[];
  readonly stale: boolean;
}

/** Context of the nearest connection (or list item) scope: stable while the element stays where it is. */
export const jugglerScope = createContext<JugglerScope>(Symbol.for('juggler-elements.scope'));

/** Context of the nearest connection's remote data, for components that want every change. */
export const jugglerRemoteState = createContext<RemoteState>(Symbol.for('juggler-elements.remote-state'));
