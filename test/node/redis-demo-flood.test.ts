// The shipped demo on a healthy Redis, with one page flooding it with messages and
// changes as fast as a socket carries them: the process must stay up and keep serving.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { connect } from '../../src/node/connect.js';
import { startRedis, type TestRedis } from '../support/redis.mjs';
import { until } from '../support/wait.js';

let redis: TestRedis;
let child: ChildProcess | undefined;

before(async () => {
  redis = await startRedis();
});
after(async () => {
  child?.kill('SIGKILL');
  await redis.dispose();
});

/** Runs the built command on the demo with `--redis`, and resolves with its WebSocket URL once it serves. */
function serveDemo(): Promise<string> {
  const served = spawn(process.execPath, ['dist/node/cli.js', 'serve', 'demo', '--app', 'demo/app.js', '--port', '0', '--redis', redis.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = served;
  served.stderr!.resume();
  return new Promise((resolve, reject) => {
    let output = '';
    served.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /\(WebSocket (ws:\S+)\)/.exec(output);
      if (match) resolve(match[1]);
    });
    served.once('exit', (code) => reject(new Error(`the command exited with ${code}: ${output}`)));
  });
}

interface DemoData {
  counters: { messages: number; ticks: number };
  controls: { label: string };
}

describe('the demo with --redis under a flood from one page', () => {
  test('stays up, counts every message, takes the last change, and keeps serving other pages', async () => {
    const wsUrl = await serveDemo();
    const exits: Array<number | null> = [];
    child!.once('exit', (code) => exits.push(code));

    const flooder = new WebSocket(wsUrl);
    const replies: string[] = [];
    flooder.on('message', (data) => replies.push(String(data)));
    await new Promise((resolve, reject) => flooder.once('open', resolve).once('error', reject));

    // Bursts of frames written in one go, so the server reads thousands in one TCP read and handles them in one turn.
    const ping = '{"type":"MESSAGE","payload":{"action":"ping"}}';
    const bursts = 10;
    const perBurst = 10_000;
    for (let burst = 0; burst < bursts; burst++) {
      for (let i = 0; i < perBurst; i++) {
        flooder.send(ping);
        if (i % 10 === 0) flooder.send(JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: { label: `b${burst}-${i}` } }] }));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const lastLabel = `b${bursts - 1}-${perBurst - 10}`;
    // Answers come in order: once the note's comes back, the server has handled every frame before it.
    flooder.send('{"type":"MESSAGE","payload":{"action":"note","text":"end"}}');
    await until(() => replies.some((reply) => reply.includes('Note received')), 'the answer to the last frame', 60_000);
    assert.deepEqual(exits, [], 'the process is still running');

    const page = connect(wsUrl, { delay: 0 });
    const shown = () => page.remoteData as unknown as DemoData | null;
    try {
      const sent = bursts * perBurst + 1;
      await until(() => {
        const data = shown();
        return data !== null && data.counters.messages >= sent && data.controls.label === lastLabel;
      }, 'a new page to see every message counted and the last change', 10_000);
      assert.equal(shown()!.counters.messages, sent, 'each message counted once');
      const ticks = shown()!.counters.ticks;
      await until(() => shown()!.counters.ticks > ticks, 'the simulation to go on', 5000);
    } finally {
      page.close();
      flooder.terminate();
    }
    assert.deepEqual(exits, []);
  });
});
