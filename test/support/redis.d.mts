/** The redis-server binary to use, or undefined. REDIS_SERVER_PATH wins when set. */
export function findRedisServer(): string | undefined;
/** Like findRedisServer, but installs Debian's redis-server when running as root with apt-get. */
export function ensureRedisServer(): string;
/** A free TCP port on loopback. */
export function freePort(): Promise<number>;

/** A throwaway redis-server on loopback. */
export interface TestRedis {
  port: number;
  url: string;
  /** Starts it again on the same port (with the data `stop({ save: true })` saved). */
  start(): Promise<void>;
  /** Stops it: with `save`, it writes its data first (SHUTDOWN SAVE); without, it is killed and its data lost. */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Runs redis-cli against it and returns the reply as text. */
  command(...args: string[]): Promise<string>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

/** Starts a redis-server on a free loopback port with `--save '' --appendonly no`. */
export function startRedis(): Promise<TestRedis>;
