/**
 * hat-juggler 0.7's keep-alive: after `idle` ms without receiving anything, a
 * peer sends a ping; with nothing at all back within `timeout` ms more, the
 * connection is dead. Any frame counts as life, so a busy connection never
 * pings. `idle` 0 turns it off.
 */
export class IdleKeepAlive {
  readonly #idle: number;
  readonly #timeout: number;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When something last arrived. Stamped per frame: cheaper than moving a timer each time. */
  #lastHeard = 0;
  /** When the ping went out that is waiting for an answer, if one is. */
  #pingedAt: number | undefined;

  constructor(idle: number, timeout: number, ping: () => void, dead: () => void) {
    this.#idle = idle;
    this.#timeout = timeout;
    this.#ping = ping;
    this.#dead = dead;
  }

  start(): void {
    this.stop();
    if (this.#idle <= 0) return;
    this.#lastHeard = Date.now();
    this.#wait(this.#idle);
  }

  /** Something arrived: the connection is alive. */
  heard(): void {
    this.#lastHeard = Date.now();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pingedAt = undefined;
  }

  #wait(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
  }

  #check(): void {
    const now = Date.now();
    const quiet = now - this.#lastHeard;
    if (this.#pingedAt !== undefined && this.#lastHeard < this.#pingedAt) {
      this.stop();
      return this.#dead();
    }
    this.#pingedAt = undefined;
    if (quiet < this.#idle) return this.#wait(this.#idle - quiet);
    this.#pingedAt = now;
    this.#wait(this.#timeout);
    this.#ping();
  }
}
