import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { applyPatch } from '../../src/core/apply-patch.js';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { writesPerTurn } from '../../src/node/deferred-writes.js';
import { listen, type JugglerServer } from '../../src/node/listen.js';
import { until } from '../support/wait.js';

const servers: JugglerServer[] = [];
const sockets: WebSocket[] = [];
after(async () => {
  for (const socket of sockets) socket.terminate();
  await Promise.all(servers.map((server) => server.close()));
});

/** More connections than a broadcast writes in one turn of the event loop (500). */
const many = 600;

async function start(shared: LocalState) {
  const connections: Array<{ peer: JugglerPeer; tcp: Socket }> = [];
  const server = await listen({
    port: 0,
    sharedState: shared,
    maxConnections: { total: 2 * many, perAddress: 2 * many },
    onConnection: (peer, request) => connections.push({ peer, tcp: request.socket as Socket }),
  });
  servers.push(server);
  return { server, connections };
}

/** A raw client that keeps every text frame it receives, in order, and how its connection closed. */
function recorder(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const client = { socket, frames: [] as string[], closeCode: 0 };
  socket.on('message', (data) => client.frames.push(data.toString()));
  socket.on('close', (code) => (client.closeCode = code));
  return client;
}

async function openMany(url: string, count: number) {
  const clients = Array.from({ length: count }, () => recorder(url));
  await until(() => clients.every((client) => client.frames.length === 1), `${count} clients to get the document`, 20_000);
  return clients;
}

const message = (payload: JsonValue) => JSON.stringify({ type: 'MESSAGE', payload });

describe('a broadcast to many connections', () => {
  test('delivers the same frames in the same order to every connection, with MESSAGEs, a late joiner and a close between them', async () => {
    const shared = new LocalState({ delay: 'manual', data: { tick: 0, log: [] as number[] } });
    // What the state hands its connections, frame by frame: every client must receive exactly these.
    const sent: string[] = [];
    shared.follow({ sendFrame: (frame) => sent.push(frame) });
    const { server, connections } = await start(shared);
    const clients = await openMany(server.url, many);
    for (const client of clients) assert.equal(client.frames[0], sent[0]);

    // Each broadcast is written in parts, and what follows a part for a connection must wait behind it.
    const expected: string[] = [sent[0]];
    for (let tick = 1; tick <= 4; tick++) {
      if (tick > 1) await new Promise((resolve) => setImmediate(resolve));
      shared.setAt('/tick', tick);
      shared.insertAt('/log/-', tick);
      shared.flush();
      expected.push(sent.at(-1)!);
      for (const { peer } of connections) peer.send({ tick });
      expected.push(message({ tick }));
    }
    // The last connection, whose frames are all still waiting, is closed: the close goes out after them.
    connections.at(-1)!.peer.close(4000, 'done');
    const late = recorder(server.url);
    await until(() => late.frames.length === 1, 'the late client to get the document', 10_000);
    shared.setAt('/tick', 5);
    shared.flush();

    await until(() => clients.every((client) => client.frames.length >= expected.length), 'every client to get every frame', 20_000);
    await until(() => clients.some((client) => client.closeCode === 4000), 'the closed client to see its close');
    const [closed, ...open] = [...clients].sort((a, b) => b.closeCode - a.closeCode);
    assert.deepEqual(closed.frames, expected);
    await until(() => open.every((client) => client.frames.length === expected.length + 1), 'the open clients to get the last patch');
    expected.push(sent.at(-1)!);
    for (const client of open) assert.deepEqual(client.frames, expected);

    // The late joiner got the document at the version it joined at, then the patch after it.
    await until(() => late.frames.length === 2, 'the late client to get the last patch');
    let doc: JsonValue = null;
    for (const frame of late.frames) doc = applyPatch(doc, JSON.parse(frame).payload).doc;
    assert.deepEqual(doc, shared.data);
    await until(() => server.connectionCount === many, 'one connection closed and one joined');
  });

  test('lets the event loop run before every socket is written; broadcasts faster than that reach each connection in order', async () => {
    const shared = new LocalState({ delay: 'manual', data: { tick: 0 } });
    const { server, connections } = await start(shared);
    const clients = await openMany(server.url, many);

    const before = connections.map(({ tcp }) => tcp.bytesWritten);
    let writtenBeforeTheLoopRan = -1;
    setImmediate(() => (writtenBeforeTheLoopRan = connections.filter(({ tcp }, i) => tcp.bytesWritten > before[i]).length));
    for (let tick = 1; tick <= 10; tick++) {
      shared.setAt('/tick', tick);
      shared.flush();
    }
    const ticks = (client: { frames: string[] }) =>
      client.frames.map((frame) => {
        const [op] = JSON.parse(frame).payload as Array<{ path: string; value: JsonValue }>;
        return op.path === '' ? (op.value as { tick: number }).tick : op.value;
      });
    await until(() => clients.every((client) => ticks(client).at(-1) === 10), 'every client to reach the last tick', 20_000);
    assert.ok(writtenBeforeTheLoopRan >= 0 && writtenBeforeTheLoopRan < many, `${writtenBeforeTheLoopRan} of ${many} sockets were written before the loop ran`);
    // Ten broadcasts in one turn: a connection still waiting for two frames is sent no more patches, and gets the
    // whole document once they are written, instead of a queue of patches growing with every broadcast.
    for (const client of clients) {
      const seen = ticks(client);
      assert.deepEqual(seen, [...new Set(seen)].sort((a, b) => Number(a) - Number(b)), `ticks in order, none twice: ${seen.join(', ')}`);
      let doc: JsonValue = null;
      for (const frame of client.frames) doc = applyPatch(doc, JSON.parse(frame).payload).doc;
      assert.deepEqual(doc, shared.data);
    }
    const lengths = clients.map((client) => client.frames.length).sort((a, b) => a - b);
    assert.ok(lengths.filter((length) => length === 11).length >= writesPerTurn, 'the first sockets got every patch');
    assert.ok(lengths[0] <= 4, `the last sockets got ${lengths[0]} frames: the document, two patches and the document again`);
  });
});

describe('connectionCount', () => {
  test('follows connections as they open and close', async () => {
    const { server } = await start(new LocalState({ data: {} }));
    assert.equal(server.connectionCount, 0);
    const clients = await openMany(server.url, 3);
    await until(() => server.connectionCount === 3, 'three connections');
    clients[0].socket.close();
    await until(() => server.connectionCount === 2, 'the server to see one close');
    const fourth = recorder(server.url);
    await until(() => server.connectionCount === 3 && fourth.frames.length === 1, 'a new connection');
    assert.equal(server.connectionCount, server.peers.size);
    clients[1].socket.terminate();
    fourth.socket.close();
    await until(() => server.connectionCount === 1, 'the server to see two more close');
  });
});
