// Several server processes (the built command, `--redis`) serving one state through
// a real Redis, with clients on each; processes and Redis stopped and restarted mid-run.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Redis } from 'ioredis';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import { connect } from '../../src/node/connect.js';
import { freePort, startRedis, type TestRedis } from '../support/redis.mjs';
import { replayStream } from '../support/redis-replay.js';
import { until } from '../support/wait.js';

let redis: TestRedis;
let admin: Redis;
const children = new Set<ChildProcess>();
const clients: JugglerClient[] = [];

before(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  admin.on('error', () => {}); // Redis is stopped on purpose below
});
after(async () => {
  for (const client of clients) client.close();
  for (const child of children) child.kill('SIGKILL');
  admin.disconnect();
  await redis.dispose();
});

interface Served {
  wsUrl: string;
  child: ChildProcess;
}

/** Runs `juggler-elements serve` on `port` with `--redis`, and resolves once it listens. */
function serve(app: string, port: number, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, ['dist/node/cli.js', 'serve', 'demo', '--app', app, '--port', String(port), '--redis', redis.url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /\(WebSocket (ws:\S+)\)/.exec(output);
      if (match) resolve({ wsUrl: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`the command exited with ${code}: ${output}`)));
  });
}

async function kill(served: Served): Promise<void> {
  const exited = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGKILL');
  await exited;
}

interface Counters {
  counters: Record<string, number>;
  log: string[];
}

/**
 * A page on one process that counts up in its local data, and records every
 * state it is shown, checking on each that no counter and not the log went back.
 */
function page(wsUrl: string, id: string) {
  const client = connect(wsUrl, { delay: 0, reconnect: { initialDelay: 50, maxDelay: 200 } });
  clients.push(client);
  const seen: Record<string, number> = {};
  let logLength = 0;
  const backwards: string[] = [];
  client.addEventListener('change', () => {
    const data = client.remoteData as Counters | null;
    if (data === null) return;
    for (const [other, value] of Object.entries(data.counters)) {
      if (value < (seen[other] ?? 0)) backwards.push(`${id} saw ${other} go from ${seen[other]} to ${value}`);
      seen[other] = value;
    }
    if (data.log.length < logLength) backwards.push(`${id} saw the log shrink from ${logLength} to ${data.log.length}`);
    logLength = data.log.length;
  });
  let counter = 0;
  client.setAt('/id', id);
  return {
    client,
    backwards,
    get counter() {
      return counter;
    },
    count() {
      client.setAt('/counter', ++counter);
    },
    get data() {
      return client.remoteData as Counters | null;
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

describe('one state across processes through Redis', () => {
  test('pages on three processes agree, through a process killed and restarted, Redis restarted, and a process joining late', async () => {
    const key = 'processes';
    // No snapshots here, so the stream stays whole to be replayed (snapshots and trimming have tests of their own).
    const env = { JUGGLER_TEST_KEY: key, JUGGLER_SNAPSHOT_EVERY: '1000000', JUGGLER_SNAPSHOT_INTERVAL: '1000000' };
    const app = 'test/support/redis-counter-app.mjs';
    const ports = [await freePort(), await freePort(), await freePort()];
    const servers = [await serve(app, ports[0], env), await serve(app, ports[1], env), await serve(app, ports[2], env)];
    const pages = servers.map((served, i) => page(served.wsUrl, `p${i}`));
    const countAll = async (times: number) => {
      for (let i = 0; i < times; i++) {
        for (const p of pages) p.count();
        await tick();
      }
    };
    await countAll(15);

    // A process dies mid-run; its page reconnects to it once it is back.
    await kill(servers[1]);
    await countAll(5);
    servers[1] = await serve(app, ports[1], env);
    await countAll(10);

    // Redis goes away (saving its data, as a restart with persistence does); writes go on meanwhile.
    await redis.stop({ save: true });
    await countAll(10);
    await redis.start();
    await countAll(10);

    const expected = Object.fromEntries(pages.map((p, i) => [`p${i}`, p.counter]));
    const allCounted = () => pages.every((p) => isDeepStrictEqual(p.data?.counters, expected));
    await until(allCounted, 'every count on every page', 15_000).catch((error: Error) => {
      throw new Error(`${error.message}: expected ${JSON.stringify(expected)}, pages show ${pages.map((p) => JSON.stringify(p.data?.counters)).join(', ')}`);
    });
    const final = pages[0].data!;
    for (const p of pages) assert.deepEqual(p.data, final, 'every page shows the same state');
    assert.deepEqual(final, await replayStream(admin, key, { counters: {}, log: [] }), 'the state is the stream applied in order');
    for (const p of pages) assert.deepEqual(p.backwards, [], 'no page saw a state go backwards');
    for (const [id, count] of Object.entries(expected)) {
      const logged: number[] = final.log.filter((item) => item.startsWith(`${id}:`)).map((item) => Number(item.slice(id.length + 1)));
      assert.deepEqual(logged, [...logged].sort((a, b) => a - b), `${id}'s writes are in the order it made them`);
      assert.equal(logged.at(-1), count);
    }

    // A process that starts now gets the state from the (first) snapshot and the stream after it.
    const late = await serve(app, await freePort(), env);
    const latePage = page(late.wsUrl, 'late');
    await until(() => latePage.data !== null && latePage.data.log.length >= final.log.length, 'the late page to get the state');
    assert.deepEqual(latePage.data!.counters, final.counters);
    assert.deepEqual(latePage.data!.log, final.log);
  });

  test('the demo on two processes: a control set on one shows on the other, the signals advance once per tick, and another process takes over the simulation when its runner dies', async () => {
    await admin.flushall();
    const first = await serve('demo/app.js', await freePort());
    const a = connect(first.wsUrl, { delay: 0 });
    clients.push(a);
    type Demo = { counters: { ticks: number }; controls: { setpoint: number } } | null;
    const ticksOf = (client: JugglerClient) => (client.remoteData as Demo)?.counters.ticks ?? -1;
    await until(() => ticksOf(a) > 2, 'the first process to run the simulation');

    const second = await serve('demo/app.js', await freePort());
    const b = connect(second.wsUrl, { delay: 0 });
    clients.push(b);
    await until(() => ticksOf(b) >= 0, 'the second page to get the state');

    a.setAt('/setpoint', 73);
    await until(() => (b.remoteData as Demo)?.controls.setpoint === 73, 'the setpoint on the page of the other process');

    // Ten ticks a second with two processes, not twenty: one runs the simulation.
    const startTicks = ticksOf(b);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rate = ((ticksOf(b) - startTicks) * 1000) / (Date.now() - started);
    assert.ok(rate > 5 && rate < 13, `the signals advance about 10 times a second, not ${rate.toFixed(1)}`);

    // The runner dies; the other process takes over within the lease's time to live (3 s).
    await kill(first);
    const atDeath = ticksOf(b);
    await until(() => ticksOf(b) > atDeath + 3, 'the other process to take over the simulation', 6000);
    assert.ok(ticksOf(b) > atDeath, 'the ticks go on from where they were');
  });
});
