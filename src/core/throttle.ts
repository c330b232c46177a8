/**
 * How long local changes are coalesced before they are sent, in milliseconds;
 * `0` sends every change on its own; `'manual'` sends only on an explicit flush.
 */
export type Delay = number | 'manual';

/**
 * The reference peers' coalescing rule: a throttle, not a debounce. The first
 * change starts the timer and later ones do not restart it, so a steady stream
 * of changes still goes out every `delay` ms instead of waiting for a pause.
 */
export class Throttle {
  delay: Delay;
  readonly #fire: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Nested {@link hold}s open, and whether a change came while one was. */
  #holds = 0;
  #heldChange = false;

  constructor(delay: Delay, fire: () => void) {
    this.delay = delay;
    this.#fire = fire;
  }

  /** A change happened: fire now (delay 0), later (delay > 0) or not at all (manual). */
  schedule(): void {
    if (this.#holds > 0) {
      this.#heldChange = true;
      return;
    }
    if (this.delay === 'manual' || this.#timer !== undefined) return;
    if (this.delay <= 0) return this.#fire();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#fire();
    }, this.delay);
  }

  /** Runs `changes` with the throttle held: what they schedule is scheduled once, after them. */
  hold<R>(changes: () => R): R {
    this.#holds++;
    try {
      return changes();
    } finally {
      if (--this.#holds === 0 && this.#heldChange) {
        this.#heldChange = false;
        this.schedule();
      }
    }
  }

  cancel(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
