// The built command with `--redis`: how it starts and stops when Redis is out of reach.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { waitUntilReady } from '../../src/node/app-context.js';
import { connect } from '../../src/node/connect.js';
import { redisAppContext } from '../../src/node/redis/redis-app-context.js';
import type { RedisSharedState } from '../../src/node/redis/redis-shared-state.js';
import { freePort, startRedis } from '../support/redis.mjs';
import { until } from '../support/wait.js';

const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((cleanup) => cleanup()));

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('the demo with an unreachable Redis stops cleanly on Ctrl-C (SIGINT), with a page connected', async () => {
  // A port nothing listens on: every attempt to reach Redis is refused.
  const [port, deadRedis] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['dist/node/cli.js', 'serve', 'demo', '--app', 'demo/app.js', '--port', String(port), '--redis', `redis://127.0.0.1:${deadRedis}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.resume();
  const exited = exitOf(child);

  const page = connect(`ws://127.0.0.1:${port}/ws`, { delay: 0, reconnect: { initialDelay: 20, maxDelay: 50, jitter: 0 } });
  cleanups.push(() => page.close());
  await until(() => page.status === 'open', 'the page to connect', 10_000);
  // Writes keep coming while the command stops: the page's controls and the demo's heartbeat.
  page.setAt('/setpoint', 42);
  // Redis has been tried and found unreachable: the state has been offline for a while.
  await until(() => /redis-unavailable/.test(stderr), 'the command to report Redis unreachable', 10_000);

  child.kill('SIGINT');
  const code = await exited;
  assert.doesNotMatch(stderr, /Uncaught|JugglerError|\n\s+at /, 'no exception on the way out');
  assert.equal(code, 0, `the command exits with 0; stderr: ${stderr}`);
});

test('the command waits for the shared state to load before it says it serves, and says why after a bounded wait', async () => {
  const redis = await startRedis();
  cleanups.push(() => void redis.dispose());
  const logged: string[] = [];
  const reachable = redisAppContext(redis.url);
  const shared = reachable.sharedState({ key: 'command-ready', initialData: { n: 1 } }) as RedisSharedState;
  await waitUntilReady(reachable, (text) => logged.push(text), 10_000);
  assert.equal(shared.status, 'live', 'loaded when the wait ends');
  assert.deepEqual(shared.data, { n: 1 });
  assert.equal(logged.length, 0, 'nothing to say');
  await reachable.close();

  const secret = 'hunter2';
  const unreachable = redisAppContext(`redis://:${secret}@127.0.0.1:${await freePort()}`);
  unreachable.sharedState({ key: 'command-ready' });
  const started = Date.now();
  await waitUntilReady(unreachable, (text) => logged.push(text), 300);
  assert.ok(Date.now() - started < 2000, 'the wait is bounded');
  assert.equal(logged.length, 1);
  assert.match(logged[0], /not loaded from Redis within 0\.3 s; serving anyway/);
  assert.doesNotMatch(logged[0], new RegExp(secret), 'the URL, which may hold a password, is not printed');
  await unreachable.close();
});
