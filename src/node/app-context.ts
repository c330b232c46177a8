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
