import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { until } from '../support/wait.js';

/** Runs a module's code in a Node where importing ioredis throws. */
function withoutIoredis(code: string) {
  return spawnSync(process.execPath, ['--import', './test/support/refuse-ioredis.mjs', '--input-type=module', '-e', code], { encoding: 'utf8' });
}

test('juggler-elements/node and its local shared state never load ioredis', () => {
  const result = withoutIoredis(`
    import { listen, localAppContext } from 'juggler-elements/node';
    const context = localAppContext();
    const shared = context.sharedState({ initialData: { n: 1 } });
    shared.incrementAt('/n');
    if (shared.data.n !== 2 || !context.lease('x').held) throw new Error('the local context does not work');
    const server = await listen({ port: 0, sharedState: shared.state });
    await server.close();
    await context.close();
    console.log('ok');
  `);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout.trim(), 'ok');
});

test('juggler-elements/node/redis does load it (so the check above can fail)', () => {
  const result = withoutIoredis(`await import('juggler-elements/node/redis');`);
  assert.match(result.stderr, /ioredis was imported/);
});

test('the command serves the demo without --redis and without loading ioredis', async () => {
  const child = spawn(process.execPath, ['--import', './test/support/refuse-ioredis.mjs', 'dist/node/cli.js', 'serve', 'demo', '--app', 'demo/app.js', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    await until(() => /serving/.test(output) || child.exitCode !== null, 'the command to start');
    assert.match(output, /serving .* at http:/);
    assert.doesNotMatch(output, /ioredis/);
  } finally {
    child.kill('SIGKILL');
  }
});
