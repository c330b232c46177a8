/** Bounds on what patches from a peer can make us hold and do: total data size and work per patch. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebSocket } from 'ws';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { connect } from '../../src/node/connect.js';
import type { JugglerServer } from '../../src/node/listen.js';
import { LocalState } from '../../src/core/local-state.js';
import { rawSocket } from '../support/raw-socket.js';
import { startServer } from '../support/test-server.js';
import { nextEvent, until } from '../support/wait.js';

/** Sends one DATA frame and resolves once the server's peer applied it ('applied') or gave up on the connection (the error code). */
function sendPatch(socket: WebSocket, peer: () => JugglerPeer | undefined, patch: string): Promise<string> {
  return new Promise((resolve) => {
    const waitForPeer = () => {
      const target = peer();
      if (!target) return setImmediate(waitForPeer);
      const applied = () => done('applied');
      const failed = (event: JugglerErrorEvent) => done(event.code);
      const done = (outcome: string) => {
        target.removeEventListener('change', applied);
        target.removeEventListener('error', failed);
        resolve(outcome);
      };
      target.addEventListener('change', applied);
      target.addEventListener('error', failed);
      socket.send(`{"type":"DATA","payload":${patch}}`);
    };
    waitForPeer();
  });
}

const closeCode = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', resolve));

/** A PING from a new connection is answered: the server is not blocked. */
async function answersPing(server: JugglerServer): Promise<void> {
  const socket = await rawSocket(server.url);
  const pong = new Promise((resolve) => socket.once('message', resolve));
  socket.send('{"type":"PING"}');
  await pong;
  socket.close();
}

describe('the size of remote data as a whole', () => {
  test('small copy frames cannot grow it past the default limit: the last patch fails whole, with a 1009 close', async () => {
    const { server, peers } = await startServer();
    const socket = await rawSocket(server.url);
    const closed = closeCode(socket);
    const peer = () => peers.at(-1);
    // 200,000 numbers: about 1.6 MB in memory, from 400 KB of JSON.
    const items = `[${'0,'.repeat(199_999)}0]`;
    assert.equal(await sendPatch(socket, peer, `[{"op":"replace","path":"","value":{"a":${items}}}]`), 'applied');
    let copies = 0;
    let outcome = 'applied';
    // Each frame is under 100 bytes and asks for about 3.2 MB more.
    while (outcome === 'applied' && copies < 100) {
      outcome = await sendPatch(socket, peer, `[{"op":"copy","from":"/a","path":"/c${copies}"},{"op":"copy","from":"/a","path":"/d${copies}"}]`);
      if (outcome === 'applied') copies++;
    }
    assert.equal(outcome, 'data-too-large');
    assert.equal(await closed, 1009);
    const data = peer()!.remoteData as Record<string, unknown>;
    assert.equal(Object.keys(data).length, 1 + 2 * copies, 'the failed patch left nothing behind');
    assert.ok(copies >= 15 && copies <= 25, `${copies} patches fitted under 64 MiB`);
    await answersPing(server);
  });

  test('a configured limit is used by the server and by the client', async () => {
    const shared = new LocalState({ delay: 0, data: { a: 'x'.repeat(5_000) } });
    const { server, peers } = await startServer({ maxDataSize: 20_000, sharedState: shared });
    const socket = await rawSocket(server.url);
    const peer = () => peers.at(-1);
    assert.equal(await sendPatch(socket, peer, '[{"op":"replace","path":"","value":{"a":"x"}}]'), 'applied');
    assert.equal(await sendPatch(socket, peer, `[{"op":"add","path":"/b","value":"${'y'.repeat(15_000)}"}]`), 'applied');
    assert.equal(await sendPatch(socket, peer, `[{"op":"add","path":"/c","value":"${'y'.repeat(5_000)}"}]`), 'data-too-large');

    const client = connect(server.url, { maxDataSize: 6_000, reconnect: false });
    await until(() => client.remoteData !== null, 'the first data');
    const error = nextEvent<JugglerErrorEvent>(client, 'error');
    shared.setAt('/b', 'z'.repeat(2_000));
    assert.equal((await error).code, 'data-too-large');
    assert.deepEqual(client.remoteData, { a: 'x'.repeat(5_000) });
    client.close();
  });
});

describe('the work one patch may cause', () => {
  test('inserts at the front of a 2,000,000-item array are refused early, the data rolled back, and the server stays responsive', async () => {
    const { server, peers } = await startServer();
    const socket = await rawSocket(server.url);
    const closed = closeCode(socket);
    assert.equal(await sendPatch(socket, () => peers[0], `[{"op":"replace","path":"","value":{"a":[${'0,'.repeat(1_999_999)}0]}}]`), 'applied');
    // The PING connection below joins `peers`: keep hold of this one.
    const target = peers[0];
    const peer = () => target;
    // 100,000 inserts at index 0 (3.7 MB): each shifts two million items.
    const hostile = `[${Array.from({ length: 100_000 }, () => '{"op":"add","path":"/a/0","value":1}').join(',')}]`;
    const started = Date.now();
    const other = answersPing(server);
    assert.equal(await sendPatch(socket, peer, hostile), 'patch-too-costly');
    assert.equal(await closed, 1009);
    await other;
    const data = peer()!.remoteData as { a: number[] };
    assert.equal(data.a.length, 2_000_000);
    assert.equal(data.a.indexOf(1), -1, 'the rollback left no insert behind');
    // Generous: the same frame took minutes before the limit.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  test('a sliding window keeps working, patch after patch', async () => {
    const { server, peers } = await startServer();
    const socket = await rawSocket(server.url);
    const peer = () => peers.at(-1);
    const window = Array.from({ length: 10_000 }, (_, i) => i);
    assert.equal(await sendPatch(socket, peer, JSON.stringify([{ op: 'replace', path: '', value: { points: window } }])), 'applied');
    for (let next = 10_000; next < 10_500; next++) {
      const patch = JSON.stringify([{ op: 'remove', path: '/points/0' }, { op: 'add', path: '/points/-', value: next }]);
      assert.equal(await sendPatch(socket, peer, patch), 'applied');
    }
    const { points } = peer()!.remoteData as { points: number[] };
    assert.equal(points.length, 10_000);
    assert.equal(points[0], 500);
    assert.equal(points.at(-1), 10_499);
    socket.close();
  });
});

describe('the remote data of all connections together', () => {
  test('maxTotalDataSize bounds their sum: a connection that would pass it is refused with 1009, and room comes back when another closes', async () => {
    const { server, peers } = await startServer({ maxTotalDataSize: 300_000 });
    const doc = (n: number) => `[{"op":"replace","path":"","value":{"text":"${'x'.repeat(n)}"}}]`;
    const first = await rawSocket(server.url);
    assert.equal(await sendPatch(first, () => peers[0], doc(200_000)), 'applied');
    const second = await rawSocket(server.url);
    const closed = new Promise<number>((resolve) => second.once('close', (code) => resolve(code)));
    assert.equal(await sendPatch(second, () => peers[1], doc(200_000)), 'data-too-large');
    assert.equal(await closed, 1009);
    assert.deepEqual(peers[0].remoteData, { text: 'x'.repeat(200_000) }, 'the first connection keeps its data');
    first.close();
    await until(() => !peers[0].isOpen, 'the first connection to close');
    const third = await rawSocket(server.url);
    assert.equal(await sendPatch(third, () => peers[2], doc(200_000)), 'applied');
    third.close();
  });
});
