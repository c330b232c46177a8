/** The built command logs refusals, connections and their errors to stderr, one line each. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { socketOrStatus } from '../support/raw-socket.js';
import { until } from '../support/wait.js';

const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.kill('SIGTERM')));

interface Served {
  wsUrl: string;
  /** Everything the command wrote to stderr so far. */
  stderr: () => string;
}

/** Starts `juggler-elements serve` with `args` on a free port, and resolves once it serves. */
function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['dist/node/cli.js', 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /\(WebSocket (ws:\S+)\)/.exec(stdout);
      if (match) resolve({ wsUrl: match[1], stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`the command exited with ${code}: ${stderr}`)));
  });
}

const attempt = socketOrStatus;

/** Waits for a line of stderr that matches `pattern`, and returns it. */
async function line(served: Served, pattern: RegExp): Promise<string> {
  const find = () => served.stderr().split('\n').find((text) => pattern.test(text));
  await until(() => find() !== undefined, `a line matching ${pattern} on stderr`);
  return find()!;
}

describe('the command logs', () => {
  test('a refused Origin, a connection opened and closed, and a connection error, with the remote address', async () => {
    const served = await serve([]);
    assert.equal(await attempt(served.wsUrl, { Origin: 'https://evil.example' }), 403);
    assert.match(await line(served, /refused/), /^juggler-elements: 127\.0\.0\.1:\d+ refused with 403: origin "https:\/\/evil\.example" is not allowed/);

    const socket = await attempt(`${served.wsUrl}?token=s3cret-token`);
    assert.ok(socket instanceof WebSocket);
    assert.match(await line(served, /connected/), /^juggler-elements: 127\.0\.0\.1:\d+ connected$/);
    socket.send('not json: s3cret-frame');
    assert.match(await line(served, / error /), /^juggler-elements: 127\.0\.0\.1:\d+ error invalid-json: "message is not valid JSON: /);
    assert.match(await line(served, /closed/), /^juggler-elements: 127\.0\.0\.1:\d+ closed 1007 /);
    assert.doesNotMatch(served.stderr(), /s3cret/);
  });

  test('with --quiet, refusals and errors only', async () => {
    const served = await serve(['--quiet']);
    const socket = await attempt(served.wsUrl);
    assert.ok(socket instanceof WebSocket);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.send('not json');
    // The server logs the error and the close before its close frame goes out.
    await closed;
    assert.equal(await attempt(served.wsUrl, { Origin: 'https://evil.example' }), 403);
    await line(served, /refused with 403/);
    assert.match(served.stderr(), /error invalid-json/);
    assert.doesNotMatch(served.stderr(), /connected|closed/);
  });
});
