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
