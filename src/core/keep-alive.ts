/**
 * Opt-in PING/PONG keep-alive. Off by default because peers older than
 * hat-juggler 0.5.12 close the connection on a PING.
 */
export interface KeepAliveOptions {
  /** Send a PING this often, in ms (0 or absent: never). */
  pingInterval?: number;
  /** Give up on a connection that stays silent this long after a PING, in ms (default: `pingInterval`). */
  pingTimeout?: number;
}

/**
 * Sends a PING every interval and declares the connection dead when nothing at
 * all (a PONG or any other frame) arrives within the timeout after it: a busy
 * peer proves it is alive without answering.
 */
export class KeepAlive {
  readonly #interval: number;
  readonly #timeout: number;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(options: KeepAliveOptions, ping: () => void, dead: () => void) {
    this.#interval = options.pingInterval ?? 0;
    this.#timeout = options.pingTimeout ?? this.#interval;
    this.#ping = ping;
    this.#dead = dead;
  }

  start(): void {
    if (this.#interval <= 0 || this.#ticker !== undefined) return;
    this.#ticker = setInterval(() => {
      this.#ping();
      this.#deadline ??= setTimeout(() => {
        this.stop();
        this.#dead();
      }, this.#timeout);
    }, this.#interval);
  }

  /** Something arrived: the connection is alive. */
  heard(): void {
    if (this.#deadline === undefined) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  stop(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.heard();
  }
}
