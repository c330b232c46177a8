/**
 * One state across processes and machines, through Redis: import from
 * `juggler-elements/node/redis`. This is the only part of the kit that loads
 * `ioredis`, so `juggler-elements/node` alone never does.
 */
export { redisAppContext } from './redis-app-context.js';
export { RedisLease, type LeaseOptions } from './redis-lease.js';
export {
  RedisSharedState,
  RedisStateErrorEvent,
  redisStateDefaults,
  type RedisSharedStateOptions,
  type RedisStateErrorCode,
  type RedisStateStatus,
} from './redis-shared-state.js';
export type { SharedWrite } from './shared-write.js';
