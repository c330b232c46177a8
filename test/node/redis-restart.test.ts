// A process that starts (or restarts) while the shared state already has a history:
// what its replica goes through, and what a page that reconnects to it is shown.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LocalState } from '../../src/core/local-state.js';
import type { JsonValue } from '../../src/core/json.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer } from '../../src/node/listen.js';
import { RedisSharedState, type RedisSharedStateOptions } from '../../src/node/redis/redis-shared-state.js';
import { startRedis, type TestRedis } from '../support/redis.mjs';
import { tcpProxy } from '../support/tcp-proxy.js';
import { until } from '../support/wait.js';

let redis: TestRedis;
const cleanups: Array<() => unknown> = [];
let keys = 0;

before(async () => {
  redis = await startRedis();
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await redis.dispose();
});

function open(key: string, options: RedisSharedStateOptions = {}): RedisSharedState {
  // No snapshot but the first: a process that starts replays the whole stream after it.
  const state = new RedisSharedState({ url: redis.url, key, delay: 0, maxRetryDelay: 100, snapshotEvery: 1e6, snapshotInterval: 1e6, ...options });
  cleanups.push(() => state.close());
  return state;
}

/** Writes /n = 1…count, each its own stream entry, so a replica that loads replays them one by one. */
async function history(shared: RedisSharedState, count: number): Promise<void> {
  for (let n = 1; n <= count; n++) {
    shared.setAt('/n', n);
    await shared.settled();
  }
}

type Serve = (shared: RedisSharedState, port: number) => Promise<JugglerServer>;

/** The two ways a server gives its connections the replica. */
const ways: Array<[string, Serve]> = [
  ['listen({ sharedState })', (shared, port) => listen({ port, sharedState: shared.state })],
  [
    'peer.localState = shared.state (as an --app module does)',
    async (shared, port) => {
      const server = await listen({ port });
      server.addEventListener('connection', ({ peer }) => (peer.localState = shared.state));
      return server;
    },
  ],
];

describe('a process that starts with a history in Redis', () => {
  for (const [way, serve] of ways) {
    test(`a page that reconnects to it before its replica has loaded sees no older state, only the current one (${way})`, async () => {
      const key = `restart${++keys}`;
      const first = open(key, { initialData: { n: 0 } });
      await first.ready;
      let server = await serve(first, 0);
      const port = server.port;
      const page = connect(server.url, { delay: 0, reconnect: { initialDelay: 20, maxDelay: 50, jitter: 0 } });
      cleanups.push(() => page.close());
      const shown: JsonValue[] = [];
      page.addEventListener('change', () => shown.push(structuredClone(page.remoteData)));
      await history(first, 30);
      await until(() => (page.remoteData as { n: number } | null)?.n === 30, 'the page to show the last write');

      // The process dies; it restarts on the same port, but reaches Redis only once the page is back.
      await Promise.all([server.close(), first.close()]);
      const proxy = await tcpProxy(redis.port);
      cleanups.push(() => proxy.close());
      proxy.cut();
      const restarted = open(key, { url: `redis://127.0.0.1:${proxy.port}` });
      server = await serve(restarted, port);
      cleanups.push(() => server.close());
      await until(() => server.peers.size === 1 && page.status === 'open', 'the page to reconnect to the restarted process', 10_000);
      assert.equal(restarted.status === 'live', false, 'the replica has not loaded yet');
      assert.equal(page.remoteStale, true, 'the page got no DATA from a replica that has not loaded');

      proxy.restore();
      await restarted.ready;
      await until(() => !page.remoteStale, 'the page to get the state of the restarted process');
      assert.deepEqual(page.remoteData, { n: 30 });
      const afterFirstLast = shown.slice(shown.findIndex((data) => (data as { n: number } | null)?.n === 30));
      assert.deepEqual(afterFirstLast.filter((data) => (data as { n: number } | null)?.n !== 30), [], 'nothing older was shown after the last write');
    });
  }

  test('the replica goes from nothing to the snapshot plus the stream after it in one change', async () => {
    const key = `restart${++keys}`;
    const first = open(key, { initialData: { n: 0 } });
    await first.ready;
    await history(first, 30);

    // A replica given by the application is not held back, so what it goes through is what its connections would see.
    const replica = new LocalState({ delay: 0 });
    const changes: JsonValue[] = [];
    replica.addEventListener('change', () => changes.push(structuredClone(replica.data)));
    const restarted = open(key, { state: replica });
    await restarted.ready;
    assert.deepEqual(changes, [{ n: 30 }]);
  });
});
