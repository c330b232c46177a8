import type { RedisOptions } from 'ioredis';
import type { AppContext } from '../app-context.js';
import type { Lease } from '../lease.js';
import { openRedis } from './connection.js';
import { RedisLease } from './redis-lease.js';
import { RedisSharedState, type RedisStateErrorEvent } from './redis-shared-state.js';

/**
 * The {@link AppContext} of a process that shares its application's state
 * with others through the Redis at `url`. `onError` hears every
 * {@link RedisStateErrorEvent} of the shared states it opens.
 */
export function redisAppContext(url: string, options: { redisOptions?: RedisOptions; onError?: (event: RedisStateErrorEvent) => void } = {}): AppContext {
  const states: RedisSharedState[] = [];
  const leases: Lease[] = [];
  // Leases share one connection, opened when the first is asked for.
  let leaseConnection: ReturnType<typeof openRedis> | undefined;
  return {
    redisUrl: url,
    sharedState(stateOptions) {
      const state = new RedisSharedState({ ...stateOptions, url, redisOptions: options.redisOptions });
      if (options.onError) state.addEventListener('error', options.onError as (event: Event) => void);
      states.push(state);
      return state;
    },
    lease(name, leaseOptions) {
      leaseConnection ??= openRedis(url, options.redisOptions);
      const lease = new RedisLease(leaseConnection, name, leaseOptions);
      leases.push(lease);
      return lease;
    },
    whenReady: () => Promise.all(states.map((state) => state.ready)).then(() => {}),
    async close() {
      await Promise.all([...leases.map((lease) => lease.release()), ...states.map((state) => state.close())]);
      leaseConnection?.disconnect();
    },
  };
}
