/**
 * A role that one process at a time holds (running a simulation, polling a
 * device): with Redis, a key set with NX and a time to live, renewed while
 * the holder lives, so another process takes over within `ttl` of its death.
 * Fires `change` when `held` changes.
 */
export interface Lease extends EventTarget {
  readonly name: string;
  /** Whether this process holds it now. */
  readonly held: boolean;
  /** Gives it up (another process may take it at once) and stops trying to take it. */
  release(): Promise<void>;
}

/** The lease of a process that is alone: always held. */
export class SoleLease extends EventTarget implements Lease {
  readonly name: string;
  #held = true;

  constructor(name: string) {
    super();
    this.name = name;
  }

  get held(): boolean {
    return this.#held;
  }

  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    this.dispatchEvent(new Event('change'));
  }
}
