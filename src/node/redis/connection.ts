import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection that fails commands at once while it is down instead of
 * queueing them without bound (ioredis's default), and never sends a command
 * twice on its own: the shared state keeps its own bounded queue and knows
 * what landed. It reconnects by itself, waiting at most `maxRetryDelay` ms.
 */
export function openRedis(url: string, options: RedisOptions = {}, maxRetryDelay = 1000): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxRetryDelay),
    ...options,
  });
  // Failures show up as rejected commands, which the callers handle; without a
  // listener, ioredis would print every failed reconnection attempt.
  redis.on('error', () => {});
  return redis;
}

/** Resolves once the connection is ready, after `timeout` ms, or when `signal` aborts, whichever comes first. */
export function whenReady(redis: Redis, timeout: number, signal?: AbortSignal): Promise<void> {
  if (redis.status === 'ready' || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, timeout);
    redis.once('ready', done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Waits `ms` milliseconds, or until `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
