import type { JsonValue } from '../../core/json.js';
import { LocalState, type DataSink } from '../../core/local-state.js';
import type { Delay } from '../../core/throttle.js';

/**
 * The `LocalState` a process's connections follow, which holds them back until
 * it holds the shared data: a connection that follows it before then gets no
 * DATA at all (a page that reconnects keeps showing what it had), and then the
 * whole document at once. Without this, a page reconnecting to a process that
 * has just restarted would be shown `null`, or the state of an old snapshot,
 * before the current one: older than what it showed a moment ago.
 */
export class Replica extends LocalState {
  /** The connections waiting for the data, with whether the other side may hold data; undefined once open. */
  #waiting: Map<DataSink, boolean> | undefined = new Map();
  /** When the last flush ran (performance.now()), and the timer of the next one sendApplied() set. */
  #lastFlush = -Infinity;
  #sendTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(delay: Delay | undefined) {
    super({ delay });
  }

  /** Whether connections get DATA yet. */
  get isOpen(): boolean {
    return this.#waiting === undefined;
  }

  override follow(sink: DataSink, holdsData = false): void {
    if (this.#waiting === undefined) return super.follow(sink, holdsData);
    this.#waiting.set(sink, holdsData || (this.#waiting.get(sink) ?? false));
  }

  override unfollow(sink: DataSink): void {
    if (this.#waiting?.delete(sink)) return;
    super.unfollow(sink);
  }

  /**
   * Entries from Redis were applied: they go out at once if nothing went out
   * for `delay` ms, or as soon as that much time has passed. The delay still
   * bounds how often connections get DATA, but a steady writer's changes go
   * out one per frame: with the throttle alone, a timer started by one tick
   * that fires just before the next arrives (Redis adds a little jitter) would
   * send half the ticks in pairs.
   */
  sendApplied(): void {
    const delay = this.delay;
    // With 0 each entry went out as it was applied; 'manual' waits for flush().
    if (delay === 'manual' || delay <= 0 || this.#sendTimer !== undefined) return;
    const wait = this.#lastFlush + delay - performance.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.#sendTimer = setTimeout(() => this.flush(), wait);
  }

  override flush(): boolean {
    clearTimeout(this.#sendTimer);
    this.#sendTimer = undefined;
    this.#lastFlush = performance.now();
    return super.flush();
  }

  /** The data is in: every waiting connection gets it now, and later ones at once. */
  open(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    this.#waiting = undefined;
    for (const [sink, holdsData] of waiting) super.follow(sink, holdsData);
  }
}

/** A replica's data as it will be, built out of sight while a snapshot and the entries after it load. */
export function scratchState(data: JsonValue): LocalState {
  // Nobody follows it, so its writes record nothing and send nothing.
  return new LocalState({ delay: 'manual', data });
}
