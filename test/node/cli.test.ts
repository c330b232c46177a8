import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, test } from 'node:test';
import type { JsonObject } from '../../src/core/json.js';
import type { JugglerMessageEvent } from '../../src/core/events.js';
import { connect } from '../../src/node/connect.js';
import { nextEvent, until } from '../support/wait.js';

const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.kill('SIGTERM')));

/** Starts the built CLI as `npm start` does, on a free port, and resolves with its address. */
function serveDemo(): Promise<{ httpUrl: string; wsUrl: string; child: ChildProcess }> {
  return serve(['demo', '--app', 'demo/app.js']);
}

/** Starts `juggler-elements serve` with `args` on a free port, in the project folder, and resolves with its address. */
function serve(args: string[]): Promise<{ httpUrl: string; wsUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['dist/node/cli.js', 'serve', ...args, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /at (http:\S+) \(WebSocket (ws:\S+)\)/.exec(output);
      if (match) resolve({ httpUrl: match[1], wsUrl: match[2], child });
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited with ${code}: ${output}`)));
  });
}

describe('the command line', () => {
  test('serves the demo folder, the kit bundle and the demo back-end', async () => {
    const { httpUrl, wsUrl } = await serveDemo();
    const page = await fetch(httpUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>juggler-elements/);
    const bundle = await fetch(new URL('/juggler-elements.js', httpUrl));
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    // The inspector's bundle, which the demo loads on demand.
    const inspector = await fetch(new URL('/juggler-inspector.js', httpUrl));
    assert.equal(inspector.status, 200);
    assert.match(await inspector.text(), /juggler-inspector/);

    const client = connect(wsUrl, { delay: 0 });
    try {
      const state = () => client.remoteData as { counters: { ticks: number }; controls: { setpoint: number } } | null;
      await until(() => typeof state()?.counters?.ticks === 'number', 'the demo state');
      const first = state()!.counters.ticks;
      await until(() => state()!.counters.ticks > first + 2, 'the ticks to advance');
      client.setAt('/setpoint', 73);
      await until(() => state()!.controls.setpoint === 73, 'the back-end to fold the setpoint in');
      client.setAt('/setpoint', 1000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(state()!.controls.setpoint, 73, 'out-of-range input is not folded in');
      const answer = nextEvent<JugglerMessageEvent>(client, 'message');
      client.send({ action: 'ping' });
      assert.match(((await answer).payload as JsonObject).text as string, /Pong/);
    } finally {
      client.close();
    }
  });

  test('without a folder serves no files, only the kit bundle and the endpoint', async () => {
    const { httpUrl, wsUrl } = await serve([]);
    for (const path of ['/', '/package.json', '/demo/index.html', '/src/node/cli.ts']) {
      assert.equal((await fetch(new URL(path, httpUrl))).status, 404, path);
    }
    assert.equal((await fetch(new URL('/juggler-elements.js', httpUrl))).status, 200);
    const client = connect(wsUrl, { delay: 0 });
    try {
      await nextEvent(client, 'open');
    } finally {
      client.close();
    }
  });

  test('stops cleanly on SIGTERM', async () => {
    const { child } = await serveDemo();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test('prints usage without a command', async () => {
    const child = spawn(process.execPath, ['dist/node/cli.js'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(output, /Usage: juggler-elements serve/);
  });
});
