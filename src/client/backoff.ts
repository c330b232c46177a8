export interface BackoffOptions {
  /** Wait before the first retry, in ms (default 500). */
  initialDelay?: number;
  /**
   * Longest wait between retries, in ms (default 5,000, or `initialDelay` when
   * that is longer): a live page that stays away longer looks broken.
   */
  maxDelay?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /**
   * Share of each wait that is random, from 0 to 1 (default 0.5). Without it,
   * every page that lost the same server retries in the same instant.
   */
  jitter?: number;
}

/** Exponential backoff with jitter and a cap. */
export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}, random: () => number = Math.random) {
    this.#random = random;
    this.#initial = options.initialDelay ?? 500;
    this.#max = options.maxDelay ?? Math.max(5_000, this.#initial);
    this.#factor = options.factor ?? 2;
    this.#jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  }

  /** The wait before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.#max, this.#initial * this.#factor ** this.#attempt);
    this.#attempt++;
    return ceiling * (1 - this.#jitter * this.#random());
  }

  reset(): void {
    this.#attempt = 0;
  }
}
