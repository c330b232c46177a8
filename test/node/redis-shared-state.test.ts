import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { isDeepStrictEqual } from 'node:util';
import { JugglerError } from '../../src/core/errors.js';
import { connect } from '../../src/node/connect.js';
import { listen } from '../../src/node/listen.js';
import { RedisLease } from '../../src/node/redis/redis-lease.js';
import { RedisSharedState, type RedisSharedStateOptions, type RedisStateErrorEvent } from '../../src/node/redis/redis-shared-state.js';
import { compareIds } from '../../src/node/redis/stream-id.js';
import { freePort, startRedis, type TestRedis } from '../support/redis.mjs';
import { replayStream } from '../support/redis-replay.js';
import { tcpProxy } from '../support/tcp-proxy.js';
import { nextEvent, until } from '../support/wait.js';

let redis: TestRedis;
let admin: Redis;
const opened: Array<{ close(): Promise<void> }> = [];
let keys = 0;

before(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  admin.on('error', () => {}); // Redis is stopped on purpose below
});
after(async () => {
  await Promise.all(opened.map((state) => state.close()));
  admin.disconnect();
  await redis.dispose();
});

function open(key: string, options: RedisSharedStateOptions = {}): RedisSharedState {
  const state = new RedisSharedState({ url: redis.url, key, delay: 0, maxRetryDelay: 100, ...options });
  opened.push(state);
  return state;
}

/** The codes of the `error` events `state` fires from now on. */
function codesOf(state: RedisSharedState): string[] {
  const codes: string[] = [];
  state.addEventListener('error', (event) => {
    assert.ok(event.error instanceof JugglerError || event.code !== 'queue-full', 'queue-full carries a JugglerError');
    codes.push(event.code);
  });
  return codes;
}

function newKey(): string {
  return `test${++keys}`;
}

describe('RedisSharedState on a real Redis', () => {
  test('writes from two processes reach both replicas in stream order, and a write reads back only once the stream brings it', async () => {
    const key = newKey();
    const initial = { list: [], counters: {} };
    const a = open(key, { initialData: initial });
    await a.ready;
    const b = open(key, { initialData: { other: true } });
    await b.ready;
    assert.deepEqual(b.data, initial, 'the first snapshot wins; the second initial data is not used');

    a.setAt('/counters/a', 1);
    assert.equal((a.data as { counters: Record<string, number> }).counters.a, undefined, 'not applied before the stream brings it back');
    for (let i = 0; i < 30; i++) {
      a.insertAt('/list/-', `a${i}`);
      b.insertAt('/list/0', `b${i}`);
      a.incrementAt('/counters/total');
      b.incrementAt('/counters/total');
      if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([a.settled(), b.settled()]);
    await until(() => a.position === b.position, 'both replicas at the end of the stream');
    assert.deepEqual(a.data, b.data);
    assert.equal((a.data as unknown as { counters: { total: number } }).counters.total, 60, 'concurrent increments all count');
    assert.deepEqual(a.data, await replayStream(admin, key, initial));
  });

  test('with delay 0, the writes one stream entry brings reach a page as one DATA frame, not one frame each', async () => {
    const key = newKey();
    const writer = open(key, { initialData: { values: Array.from({ length: 20 }, () => 0) } });
    // The first to reach Redis seeds it: the writer, with its initial data.
    await writer.ready;
    const replica = open(key);
    await replica.ready;
    const server = await listen({ port: 0, sharedState: replica.state });
    opened.push(server);
    const page = connect(server.url, { delay: 0 });
    opened.push({ close: async () => page.close() });
    await until(() => page.remoteData !== null, 'the page to get the state');
    let frames = 0;
    page.addEventListener('change', () => frames++);

    // One task's writes are one stream entry: the page sees them all at once, never a state halfway through.
    for (let i = 0; i < 20; i++) writer.setAt(`/values/${i}`, i + 1);
    const done = { values: Array.from({ length: 20 }, (_, i) => i + 1) };
    await until(() => isDeepStrictEqual(page.remoteData, done), 'the page to get every write');
    assert.equal(frames, 1, 'one DATA frame for the entry');
  });

  test('with a delay, what Redis brings goes out at once after a quiet spell, and at most once per delay', async () => {
    const key = newKey();
    const writer = open(key, { initialData: { a: 0 } });
    await writer.ready;
    const replica = open(key, { delay: 2000 });
    await replica.ready;
    const server = await listen({ port: 0, sharedState: replica.state });
    opened.push(server);
    const page = connect(server.url, { delay: 0 });
    opened.push({ close: async () => page.close() });
    const shown = () => (page.remoteData as { a: number } | null)?.a;
    await until(() => shown() === 0, 'the page to get the state');

    // A tick after a quiet spell is not held for the delay: a writer's steady ticks go out one per frame.
    writer.setAt('/a', 1);
    await until(() => shown() === 1, 'the first write, before the 2 s delay has run', 1500);
    // The next one, right after, waits out the delay: connections get at most one DATA per delay.
    writer.setAt('/a', 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(shown(), 1, 'the second write is held');
    await until(() => shown() === 2, 'the second write, once the delay has passed', 3000);
  });

  test('a write that cannot apply changes nothing, anywhere, and is reported by its writer only', async () => {
    const key = newKey();
    const a = open(key, { initialData: { n: 1 } });
    await a.ready;
    const b = open(key);
    await b.ready;
    const errorsOfB: RedisStateErrorEvent[] = [];
    b.addEventListener('error', (event) => errorsOfB.push(event as RedisStateErrorEvent));
    const refused = nextEvent<RedisStateErrorEvent>(a, 'error');
    a.setAt('/n/below', 2);
    a.setAt('/after', true);
    const event = await refused;
    assert.equal(event.code, 'write-refused');
    assert.equal((event.error as JugglerError).code, 'invalid-path');
    await until(() => (b.data as { after?: boolean }).after === true, 'the next write to apply');
    assert.deepEqual(a.data, { n: 1, after: true });
    assert.deepEqual(b.data, { n: 1, after: true });
    assert.deepEqual(errorsOfB, []);
  });

  test('a value with no JSON form throws invalid-value where it is written and sends nothing; every kind of write arrives intact', async () => {
    const key = newKey();
    const a = open(key, { initialData: { n: 1, list: [], gone: true } });
    await a.ready;
    const b = open(key);
    await b.ready;
    const codes = codesOf(a);
    const noJson: unknown[] = [undefined, () => 1, Symbol('s'), 10n, { toJSON: () => undefined }];
    for (const value of noJson) {
      for (const write of [() => a.setAt('/v', value as never), () => a.insertAt('/list/-', value as never)]) {
        assert.throws(write, (error) => error instanceof JugglerError && error.code === 'invalid-value', String(value));
      }
    }
    assert.throws(() => a.incrementAt('/n', Number.NaN), (error) => error instanceof JugglerError && error.code === 'invalid-value');
    assert.equal(a.pendingWrites, 0, 'nothing was queued for Redis');

    a.setAt('/n', 2, { force: true });
    a.setAt('/when', new Date(0) as never);
    a.setAt('/odd ~0~1"key"', 'x');
    a.insertAt('/list/-', { deep: [1, 'two', null] });
    a.incrementAt('/n', 0.5);
    a.removeAt('/gone');
    const expected = { n: 2.5, list: [{ deep: [1, 'two', null] }], when: '1970-01-01T00:00:00.000Z', 'odd ~/"key"': 'x' };
    await until(() => JSON.stringify(b.data) === JSON.stringify(expected), 'the other replica to hold every write');
    await a.settled();
    assert.deepEqual(a.data, expected);
    assert.deepEqual(codes, []);
  });

  test('snapshots every N entries trim the stream, and a process that joins late loads snapshot and stream', async () => {
    const key = newKey();
    const a = open(key, { initialData: { n: 0 }, snapshotEvery: 10, snapshotInterval: 50 });
    await a.ready;
    for (let i = 0; i < 45; i++) {
      a.incrementAt('/n');
      await a.settled();
      // Snapshots are taken at most once per lock period (here the 50 ms interval): let a few happen.
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 60));
    }
    const snapshotId = await admin.hget(`${key}:snapshot`, 'id');
    assert.notEqual(snapshotId, '0-0', 'a snapshot was written');
    const first = await admin.xrange(`${key}:stream`, '-', '+', 'COUNT', 1);
    assert.ok((await admin.xlen(`${key}:stream`)) < 45, 'the stream was trimmed');
    assert.ok(first[0][0] !== undefined);

    const late = open(key);
    await late.ready;
    assert.deepEqual(late.data, { n: 45 });
    a.incrementAt('/n');
    await until(() => (late.data as { n: number }).n === 46, 'the late process to follow the stream');
  });

  test('while Redis is down, writes wait (bounded) and the replica keeps its data; when Redis returns they land once', async () => {
    const key = newKey();
    // Five increments of /n fit, the sixth does not.
    const a = open(key, { initialData: { n: 0 }, maxQueuedBytes: 5 * JSON.stringify({ op: 'increment', path: '/n', by: 1 }).length });
    await a.ready;
    const b = open(key);
    await b.ready;
    a.incrementAt('/n');
    await until(() => (b.data as { n: number }).n === 1, 'the first write');

    await redis.stop({ save: true });
    await until(() => a.status === 'offline' && b.status === 'offline', 'both to notice');
    for (let i = 0; i < 5; i++) a.incrementAt('/n');
    const errors = codesOf(a);
    a.incrementAt('/n'); // refused: reported, not thrown
    a.incrementAt('/n'); // refused too, within the same spell: counted, not reported again
    assert.deepEqual(errors, ['queue-full']);
    assert.equal(a.refusedWrites, 2);
    assert.deepEqual(a.data, { n: 1 }, 'the replica keeps serving what it had');

    await redis.start();
    await until(() => (b.data as { n: number }).n === 6, 'the queued writes to arrive', 10_000);
    await a.settled();
    assert.deepEqual(a.data, { n: 6 });
    assert.equal(a.status, 'live');
  });

  test('a flood of writes in one turn against a healthy Redis all land: no throw, the count exact', async () => {
    const key = newKey();
    const a = open(key, { initialData: { n: 0 } });
    await a.ready;
    const errors = codesOf(a);
    // As a server handles a whole TCP read's worth of frames, each writing, before any I/O can run.
    for (let i = 0; i < 50_000; i++) a.incrementAt('/n');
    await a.settled();
    assert.deepEqual(a.data, { n: 50_000 });
    assert.deepEqual(errors, []);
    assert.equal(a.refusedWrites, 0);
  });

  test('past maxQueuedBytes a flood is refused through one queue-full error event, memory stays bounded, and writes resume once the backlog drains', async () => {
    const key = newKey();
    const write = JSON.stringify({ op: 'increment', path: '/n', by: 1 });
    const a = open(key, { initialData: { n: 0 }, maxQueuedBytes: 100 * write.length });
    await a.ready;
    const errors = codesOf(a);
    for (let i = 0; i < 50_000; i++) a.incrementAt('/n');
    assert.equal(a.pendingWrites, 100, 'no more held than the bound allows');
    assert.equal(a.refusedWrites, 49_900);
    assert.deepEqual(errors, ['queue-full'], 'one event for the whole spell');
    await a.settled();
    assert.deepEqual(a.data, { n: 100 }, 'what was accepted landed, once');
    a.incrementAt('/n');
    await a.settled();
    assert.deepEqual(a.data, { n: 101 }, 'writes are taken again once the backlog drained');
    assert.equal(a.refusedWrites, 49_900);
  });

  test('when Redis comes back empty, a replica seeds it with what it holds and nothing goes backwards', async () => {
    const key = newKey();
    const a = open(key, { initialData: { n: 0 } });
    await a.ready;
    const b = open(key);
    await b.ready;
    const seenByB: number[] = [];
    b.state.addEventListener('change', () => seenByB.push((b.data as { n: number }).n));
    for (let i = 0; i < 5; i++) a.incrementAt('/n');
    await until(() => (b.data as { n: number }).n === 5 && a.position === b.position, 'both at the same place');

    await redis.stop();
    await until(() => a.status === 'offline', 'a to notice');
    a.incrementAt('/n');
    await redis.start();
    await until(() => (b.data as { n: number }).n === 6, 'the write made meanwhile to arrive', 10_000);
    assert.deepEqual(a.data, { n: 6 });
    assert.deepEqual(seenByB, [...seenByB].sort((x, y) => x - y), 'b never went backwards');
  });

  test('a process cut off while the stream was trimmed past its position reloads the newer snapshot, never going backwards', async () => {
    const key = newKey();
    const proxy = await tcpProxy(redis.port);
    const a = open(key, { initialData: { n: 0 }, snapshotEvery: 5, snapshotInterval: 20 });
    await a.ready;
    const b = open(key, { url: `redis://127.0.0.1:${proxy.port}` });
    await b.ready;
    const seenByB: number[] = [];
    b.state.addEventListener('change', () => seenByB.push((b.data as { n: number }).n));
    a.incrementAt('/n');
    await until(() => (b.data as { n: number }).n === 1, 'b to follow');

    proxy.cut();
    await until(() => b.status === 'offline', 'b to notice');
    const cutAt = b.position!;
    // Two snapshots after b's position: the second trims the stream behind the first, past b.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) a.incrementAt('/n');
      await a.settled();
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const oldest = await admin.xrange(`${key}:stream`, '-', '+', 'COUNT', 1);
    assert.ok(oldest.length === 0 || compareIds(oldest[0][0], cutAt) > 0, 'the entries after the position of b are gone');

    proxy.restore();
    await until(() => (b.data as { n: number }).n === 16, 'b to catch up from the snapshot', 10_000);
    assert.deepEqual(seenByB, [...seenByB].sort((x, y) => x - y), 'b never went backwards');
    await proxy.close();
  });

  test('closing while Redis is unreachable ends at once, and a write made afterwards is ignored, not thrown', async () => {
    // Nothing listens there; the wait for a connection is long, so a close that sat it out would show.
    const state = open(newKey(), { url: `redis://127.0.0.1:${await freePort()}`, maxRetryDelay: 10_000 });
    const started = Date.now();
    await state.close();
    assert.ok(Date.now() - started < 2000, `close() took ${Date.now() - started} ms`);
    assert.equal(state.status, 'closed');
    // A timer or a connection of a stopping process may still write.
    state.setAt('/late', 1);
    state.incrementAt('/late');
    assert.equal(state.pendingWrites, 0);
  });

  test('a lease is held by one process at a time, and another takes it when the holder gives it up', async () => {
    const name = `${newKey()}:lease`;
    const first = new Redis(redis.url);
    const second = new Redis(redis.url);
    try {
      const a = new RedisLease(first, name, { ttl: 600 });
      await until(() => a.held, 'the first lease');
      const b = new RedisLease(second, name, { ttl: 600 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(b.held, false, 'renewed by its holder, the lease is not taken');
      assert.equal(a.held, true);
      const taken = nextEvent(b, 'change', 2000);
      await a.release();
      await taken;
      assert.equal(b.held, true);
      await b.release();
    } finally {
      first.disconnect();
      second.disconnect();
    }
  });
});
