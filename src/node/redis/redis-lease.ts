import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Lease } from '../lease.js';
import { releaseLeaseScript, renewLeaseScript } from './scripts.js';

/** Options of a {@link RedisLease}. */
export interface LeaseOptions {
  /** How long the lease lasts without renewal, in ms (default 5,000); it is renewed every third of that. */
  ttl?: number;
}

/**
 * A {@link Lease} kept in Redis: `SET name holder NX PX ttl` to take it, renewed
 * every `ttl / 3` while this process holds it. When a renewal cannot reach
 * Redis, the holder counts the lease lost once `ttl` has passed since its last
 * success, which is when another process can take it, so two processes never
 * both believe they hold it (clocks running at the same rate).
 */
export class RedisLease extends EventTarget implements Lease {
  readonly name: string;
  readonly #redis: Redis;
  readonly #ttl: number;
  readonly #holder = randomBytes(12).toString('base64url');
  #held = false;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expiry: ReturnType<typeof setTimeout> | undefined;

  constructor(redis: Redis, name: string, options: LeaseOptions = {}) {
    super();
    this.name = name;
    this.#redis = redis;
    this.#ttl = options.ttl ?? 5000;
    void this.#attempt();
  }

  get held(): boolean {
    return this.#held;
  }

  async release(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#expiry);
    if (!this.#held) return;
    this.#set(false);
    await this.#redis.eval(releaseLeaseScript, 1, this.name, this.#holder).catch(() => {});
  }

  async #attempt(): Promise<void> {
    const started = Date.now();
    try {
      const ok = this.#held
        ? (await this.#redis.eval(renewLeaseScript, 1, this.name, this.#holder, this.#ttl)) === 1
        : (await this.#redis.set(this.name, this.#holder, 'PX', this.#ttl, 'NX')) === 'OK';
      if (this.#stopped) return;
      if (ok) {
        // Counted from before the command: Redis may have started the time to live any time after.
        clearTimeout(this.#expiry);
        this.#expiry = setTimeout(() => this.#set(false), started + this.#ttl - Date.now());
      }
      this.#set(ok);
    } catch {
      // Redis cannot be reached: the lease lapses when its time is up (the expiry timer).
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#attempt(), this.#ttl / 3);
  }

  #set(held: boolean): void {
    if (held === this.#held) return;
    this.#held = held;
    if (!held) clearTimeout(this.#expiry);
    this.dispatchEvent(new Event('change'));
  }
}
