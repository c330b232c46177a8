import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { applyPatch } from '../../src/core/apply-patch.js';
import type { JugglerCloseEvent, JugglerErrorEvent } from '../../src/core/events.js';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { JugglerClient, type SocketLike } from '../../src/client/juggler-client.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { nextEvent, until } from '../support/wait.js';

const servers: JugglerServer[] = [];
const clients: Array<{ close(): void }> = [];
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => server.close()));
});

interface Connection {
  peer: JugglerPeer;
  /** The server side's TCP socket: its `writableLength` is what the server holds unsent. */
  tcp: Socket;
}

async function start(options: ListenOptions) {
  const connections: Connection[] = [];
  const server = await listen({
    port: 0,
    ...options,
    onConnection: (peer, request) => connections.push({ peer, tcp: request.socket as Socket }),
  });
  servers.push(server);
  return { server, connections };
}

/** A raw client that keeps the document its DATA frames build, applying each patch in order. */
async function documentReader(url: string) {
  // Listening before the socket opens: the first frame may come in the same read as the handshake.
  const socket = new WebSocket(url);
  const reader = { socket, doc: null as JsonValue, wholeDocuments: 0, patches: 0 };
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; payload: Array<{ path: string }> };
    if (message.type !== 'DATA') return;
    reader.patches++;
    if (message.payload.some((op) => op.path === '')) reader.wholeDocuments++;
    reader.doc = applyPatch(reader.doc, message.payload).doc;
  });
  clients.push({ close: () => socket.terminate() });
  await nextEvent(socket as unknown as EventTarget, 'open');
  return reader;
}

const kib = 1024;

describe('a connection that stops reading', () => {
  test('is sent no DATA above the high-water mark, then exactly the current state once it reads again', async () => {
    const sendHighWaterMark = 256 * kib;
    const shared = new LocalState({ delay: 'manual', data: { tick: 0, blob: '', log: [] } });
    const { server, connections } = await start({ sharedState: shared, sendHighWaterMark });

    const slow = await documentReader(server.url);
    await until(() => slow.patches === 1, 'the slow client to get the document');
    slow.socket.pause();
    const slowTcp = connections[0].tcp;

    const fast = [connect(server.url), connect(server.url)];
    clients.push(...fast);
    const fastPatches = [0, 0];
    fast.forEach((client, i) => client.addEventListener('change', () => fastPatches[i]++));
    await until(() => fast.every((client) => client.status === 'open' && client.remoteData !== null), 'the fast clients to open');
    const patchesBefore = [...fastPatches];

    // Each tick replaces 64 KiB and appends to a list, so a patch applied twice or missed shows in the end.
    let ticks = 0;
    let largestBuffered = 0;
    let ticksSinceBackedUp = -1;
    const tick = async () => {
      ticks++;
      shared.setAt('/tick', ticks);
      shared.setAt('/blob', String(ticks % 10).repeat(64 * kib));
      shared.insertAt('/log/-', ticks);
      shared.flush();
      largestBuffered = Math.max(largestBuffered, slowTcp.writableLength);
      if (ticksSinceBackedUp >= 0) ticksSinceBackedUp++;
      else if (slowTcp.writableLength > sendHighWaterMark) ticksSinceBackedUp = 0;
      await until(() => fast.every((client) => (client.remoteData as { tick: number }).tick === ticks), `the fast clients to get tick ${ticks}`);
    };
    // Run until the kernel's buffers are full and the server has had its own backlog for a while.
    while (ticksSinceBackedUp < 40) {
      await tick();
      assert.ok(ticks < 2000, `the slow connection never backed up (it holds ${slowTcp.writableLength} bytes unsent)`);
    }

    const largestFrame = JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: shared.data }] }).length;
    assert.ok(
      largestBuffered <= sendHighWaterMark + largestFrame + 64,
      `the server held ${largestBuffered} bytes unsent for the slow client; the bound is ${sendHighWaterMark} + one frame (${largestFrame})`,
    );
    // Every tick reached the fast clients as exactly one patch, and nothing else did.
    assert.deepEqual(fastPatches.map((n, i) => n - patchesBefore[i]), [ticks, ticks]);
    for (const client of fast) assert.deepEqual(client.remoteData, shared.data);

    slow.socket.resume();
    await until(() => slow.wholeDocuments === 2, 'the slow client to get the whole document again');
    await until(() => JSON.stringify(slow.doc) === JSON.stringify(shared.data), 'the slow client to catch up');
    for (let i = 0; i < 5; i++) await tick();
    await until(() => (slow.doc as { tick: number }).tick === ticks, 'the slow client to follow the next patches');
    assert.deepEqual(slow.doc, shared.data);
    assert.equal(slow.wholeDocuments, 2);
  });
});

describe('a connection that stays stalled over the hard limit', () => {
  test('is given up with 1013 and a reason, its socket cut, and the client reconnects and resyncs', async () => {
    const limits = { sendHighWaterMark: 64 * kib, maxSendBuffer: 512 * kib, maxSendBufferTime: 300 };
    const shared = new LocalState({ delay: 0, data: { version: 1 } });
    const { server, connections } = await start({ sharedState: shared, ...limits });

    const sockets: WebSocket[] = [];
    const client = new JugglerClient({
      url: server.url,
      delay: 0,
      reconnect: { initialDelay: 10, maxDelay: 50 },
      reconnectOnVisible: false,
      reconnectOnOnline: false,
      createSocket: (address, protocols) => {
        const socket = new WebSocket(address, protocols);
        sockets.push(socket);
        return socket as unknown as SocketLike;
      },
    });
    clients.push(client);
    client.connect();
    await until(() => client.remoteData !== null, 'the client to get the state');
    sockets[0].pause();

    const { peer } = connections[0];
    const serverError = nextEvent<JugglerErrorEvent>(peer, 'error');
    const serverClose = nextEvent<JugglerCloseEvent>(peer, 'close', 10_000);
    const clientClose = nextEvent<JugglerCloseEvent>(client, 'close', 10_000);
    // Messages are never dropped, so they pile up until the limit ends the connection.
    const message = { filler: 'x'.repeat(64 * kib) };
    let sent = 0;
    while (peer.isOpen) {
      assert.ok(sent < 64 * 1024 * kib, 'the server never closed the stalled connection');
      peer.send(message);
      sent += 64 * kib;
      shared.setAt('/version', sent);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const error = await serverError;
    assert.equal(error.code, 'slow-consumer');
    const serverClosed = await serverClose;
    assert.equal(serverClosed.code, 1013);
    assert.match(serverClosed.reason, /reading too slowly: over 524288 bytes unsent for 300 ms/);

    // A close frame could not get through the backlog: the socket is cut, and the client sees the connection drop.
    sockets[0].resume();
    const closed = await clientClose;
    assert.equal(closed.code, 1006);
    await until(() => sockets.length === 2 && client.status === 'open', 'the client to reconnect');
    shared.setAt('/after', true);
    await until(() => JSON.stringify(client.remoteData) === JSON.stringify(shared.data), 'the client to resync');
  });
});
