import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { connect } from '../../src/node/connect.js';
import { freePort } from '../support/redis.mjs';
import { until } from '../support/wait.js';

const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((cleanup) => cleanup()));

test('the command accepts no connection before its app module is loaded and listening', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/node/cli.js', 'serve', 'demo', '--app', 'test/support/slow-app.mjs', '--port', String(port)], {
    stdio: 'ignore',
  });
  cleanups.push(() => child.kill('SIGKILL'));
  // A page that was already open retries at once, while the app is still loading.
  const client = connect(`ws://127.0.0.1:${port}/ws`, { delay: 0, reconnect: { initialDelay: 10, maxDelay: 20, jitter: 0 } });
  cleanups.push(() => client.close());
  await until(() => client.status === 'open', 'the connection', 5000);
  await until(() => client.remoteData !== null, 'the state of the app', 2000);
  assert.deepEqual(client.remoteData, { ready: true });
});
