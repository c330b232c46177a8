import type { JugglerServer } from './listen.js';
import { SoleLease, type Lease } from './lease.js';
import { LocalSharedState, type SharedState, type SharedStateOptions } from './shared-state.js';

/** Options of {@link AppContext.sharedState}. */
export interface AppSharedStateOptions extends SharedStateOptions {
  /** Which shared state: the prefix of its Redis keys (default `juggler`). Processes that name the same key share it. */
  key?: string;
}

/**
 * What the `juggler-elements serve` command gives an `--app` module as its
 * second argument: the means to share state with the other processes serving
 * the same application. Without `--redis` (or `REDIS_URL`), the process is
 * alone: the shared state is a local one and every lease is held. With it,
 * both go through Redis. The same application code runs either way.
 */
export interface AppContext {
  /** The Redis URL the command was given, if any. */
  readonly redisUrl: string | undefined;
  /** A state every process of the application shares; connections follow its `state`. */
  sharedState(options?: AppSharedStateOptions): SharedState;
  /** A role one process at a time holds (with Redis; without, this process holds it). */
  lease(name: string, options?: { ttl?: number }): Lease;
  /**
   * Resolves once every shared state opened so far is `ready` (at once
   * without Redis). Never rejects; it stays pending while Redis cannot be reached.
   */
  whenReady(): Promise<void>;
  /** Closes the shared states and gives up the leases (the command calls it when it stops). */
  close(): Promise<void>;
}

/**
 * The contract of an `--app` module: its default export is called with the
 * server and an {@link AppContext} (shared state and leases, through Redis
 * with `--redis`).
 */
export type AppModule = { default: (server: JugglerServer, context: AppContext) => void | Promise<void> };

/** The context of a process that is alone. */
export function localAppContext(): AppContext {
  const opened: Array<{ close(): Promise<void> } | Lease> = [];
  return {
    redisUrl: undefined,
    sharedState(options) {
      const state = new LocalSharedState(options);
      opened.push(state);
      return state;
    },
    lease(name) {
      const lease = new SoleLease(name);
      opened.push(lease);
      return lease;
    },
    whenReady: () => Promise.resolve(),
    async close() {
      await Promise.all(opened.map((item) => ('release' in item ? item.release() : item.close())));
    },
  };
}

/**
 * The context for a Redis URL, or a process alone without one. The Redis part
 * (and `ioredis`) is loaded only when a URL is given. `log` hears the shared
 * states' errors, one line each.
 */
export async function openAppContext(redisUrl: string | undefined, log: (text: string) => void): Promise<AppContext> {
  if (!redisUrl) return localAppContext();
  const { redisAppContext } = await import('./redis/redis-app-context.js');
  return redisAppContext(redisUrl, { onError: ({ code, message }) => log(`shared state: ${code}: ${message}`) });
}

/** How long the command waits for the app's shared states to load before it starts serving all the same, in ms. */
export const readyTimeout = 10_000;

/**
 * Waits until the shared states the app opened are ready, or `timeout` ms:
 * the command says it serves once they are, since connections get their data
 * only then. Past the timeout it says why it goes on (`log`) and resolves
 * all the same: the process keeps trying Redis, and its connections get the
 * state once Redis answers.
 */
export async function waitUntilReady(context: AppContext, log: (text: string) => void, timeout = readyTimeout): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout)));
  const late = await Promise.race([context.whenReady().then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    // Not the URL: it may hold a password.
    log(`the shared state has not loaded from Redis within ${timeout / 1000} s; serving anyway: connections get it once Redis answers`);
  }
}
