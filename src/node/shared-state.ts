import { JugglerError } from '../core/errors.js';
import { LocalState } from '../core/local-state.js';
import type { JsonValue } from '../core/json.js';
import type { Delay } from '../core/throttle.js';
import type { WriteOptions } from '../core/local-state.js';
import { readAt } from './read-at.js';

/**
 * A state that every process serving an application shares, written the way a
 * `LocalState` is. Connections follow its `state` (a `LocalState`), so clients
 * see ordinary DATA.
 *
 * With Redis ({@link RedisSharedState} from `juggler-elements/node/redis`), a
 * write is not applied where it is made: it goes to Redis and comes back, in the
 * order every process applies it, so `data` shows it once it has come back.
 * Code that reads right after it writes must not count on seeing its write.
 */
export interface SharedState extends EventTarget {
  /** The replica connections follow: give it to `listen({ sharedState })` or `peer.localState`. Do not write it directly. */
  readonly state: LocalState;
  /** The current data (read-only). */
  readonly data: JsonValue;
  /** Resolves once the state holds the shared data (at once for a local state). */
  readonly ready: Promise<void>;
  /** Sets the value at a JSON Pointer, creating missing parent objects (as `LocalState.setAt`). */
  setAt(path: string, value: JsonValue, options?: WriteOptions): void;
  /** Inserts into an array, shifting later items (as `LocalState.insertAt`). */
  insertAt(path: string, value: JsonValue): void;
  /** Removes the value at a path; nothing happens when there is none. */
  removeAt(path: string): void;
  /** Adds `by` to the number at a path (a missing value counts as 0); concurrent increments all count. */
  incrementAt(path: string, by?: number): void;
  /** Replaces the whole document. */
  replace(data: JsonValue): void;
  /** Stops sharing: writes still pending are sent first, within a short wait. */
  close(): Promise<void>;
}

/** Options common to every {@link SharedState}. */
export interface SharedStateOptions {
  /** Coalescing delay of the `state` connections follow (default 100). */
  delay?: Delay;
  /** The data to start from when there is no shared data yet (for Redis: nothing stored under the key). */
  initialData?: JsonValue;
}

/** A {@link SharedState} in one process: writes apply at once. */
export class LocalSharedState extends EventTarget implements SharedState {
  readonly state: LocalState;
  readonly ready = Promise.resolve();

  constructor(options: SharedStateOptions = {}) {
    super();
    this.state = new LocalState({ delay: options.delay, data: options.initialData });
  }

  get data(): JsonValue {
    return this.state.data;
  }

  setAt(path: string, value: JsonValue, options?: WriteOptions): void {
    this.state.setAt(path, value, options);
  }

  insertAt(path: string, value: JsonValue): void {
    this.state.insertAt(path, value);
  }

  removeAt(path: string): void {
    this.state.removeAt(path);
  }

  incrementAt(path: string, by = 1): void {
    this.state.setAt(path, incremented(readAt(this.state.data, path), by, path));
  }

  replace(data: JsonValue): void {
    this.state.replace(data);
  }

  async close(): Promise<void> {}
}

/** The number an increment writes: a missing value counts as 0; anything but a number is refused. */
export function incremented(current: JsonValue | undefined, by: number, path: string): number {
  if (typeof by !== 'number' || !Number.isFinite(by)) throw new JugglerError('invalid-value', `an increment must be a finite number, got ${String(by)}`);
  if (current === undefined || current === null) return by;
  if (typeof current !== 'number') throw new JugglerError('invalid-value', `cannot increment ${JSON.stringify(path)}: it holds a ${typeof current}`);
  return current + by;
}
