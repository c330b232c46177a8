// The built command with `--redis`: how it starts and stops when Redis is out of reach.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { connect } from '../../src/node/connect.js';
import { freePort } from '../support/redis.mjs';
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
