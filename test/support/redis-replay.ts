import type { Redis } from 'ioredis';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import { applyWrite } from '../../src/node/redis/shared-write.js';

/**
 * The stream of `key` applied in order to `initial`, as a process that read
 * every entry from the start holds it: what every replica must end with.
 */
export async function replayStream(redis: Redis, key: string, initial: JsonValue): Promise<JsonValue> {
  const state = new LocalState({ data: structuredClone(initial) });
  const seen = new Map<string, number>();
  for (const [, fields] of await redis.xrange(`${key}:stream`, '-', '+')) {
    const entry: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i]] = fields[i + 1];
    // A batch sent twice (its first reply lost) applies once.
    if (entry.d === undefined || Number(entry.s) <= (seen.get(entry.w) ?? 0)) continue;
    seen.set(entry.w, Number(entry.s));
    for (const write of JSON.parse(entry.d) as unknown[]) {
      try {
        applyWrite(state, write);
      } catch {
        // refused by every replica alike
      }
    }
  }
  return state.data;
}
