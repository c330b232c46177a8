import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocketServer, type WebSocket } from 'ws';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import type { JugglerCloseEvent, JugglerErrorEvent } from '../../src/core/events.js';
import { connect } from '../../src/node/connect.js';
import { nextEvent, until } from '../support/wait.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes this process holds after a full collection: the JS heap and the buffers outside it (unsent frames among them). */
function memoryInUse(): number {
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

const servers: WebSocketServer[] = [];
const clients: JugglerClient[] = [];
after(() => {
  for (const client of clients) client.close();
  for (const server of servers) {
    for (const socket of server.clients) socket.terminate();
    server.close();
  }
});

type Flood = (socket: WebSocket) => void;

/**
 * Never reads again, and keeps sending what `flood` sends (1,000 frames a turn),
 * holding at most 64 KiB unsent itself: it runs in this process, so what it holds counts too.
 */
function floodWithoutReading(socket: WebSocket, flood: Flood): void {
  socket.pause();
  const more = () => {
    if (socket.readyState !== socket.OPEN) return;
    for (let i = 0; i < 1000 && socket.bufferedAmount < 64 * 1024; i++) flood(socket);
    setImmediate(more);
  };
  more();
}

const pingFrame = JSON.stringify({ type: 'PING', payload: {} });
const pings: Flood = (socket) => socket.send(pingFrame);
/** Calls whose answers are 16 KiB each: the kernel's socket buffers (tens of MiB on loopback) fill within a second. */
const bulk = 'x'.repeat(16 * 1024);
let callId = 0;
const calls: Flood = (socket) => socket.send(JSON.stringify({ type: 'MESSAGE', payload: { type: 'rpc', id: ++callId, direction: 'request', action: 'echo', args: [bulk] } }));

/** A raw server: its first connection gets `first`; later ones get a DATA frame and are served normally. */
async function startServer(first: (socket: WebSocket) => void) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await once(server, 'listening');
  let connections = 0;
  server.on('connection', (socket) => {
    if (++connections === 1) return first(socket);
    socket.send(JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: { served: connections } }] }));
  });
  const { port } = server.address() as { port: number };
  return `ws://127.0.0.1:${port}/`;
}

describe('connect() against a server that stops reading', () => {
  for (const [what, flood] of [
    ['PINGs', pings],
    ['calls', calls],
  ] as const) {
    test(`flooded with ${what}, the client stops reading: what it holds stays bounded and the connection stays open`, async () => {
      const url = await startServer((socket) => floodWithoutReading(socket, flood));
      const client = connect(url, { reconnect: false, actions: { echo: (text) => text } });
      clients.push(client);
      const errors: string[] = [];
      client.addEventListener('error', (event: JugglerErrorEvent) => errors.push(event.code));
      client.addEventListener('close', (event: JugglerCloseEvent) => errors.push(`close ${event.code} ${event.reason}`));
      await nextEvent(client, 'open');
      const before = memoryInUse();
      // Flooded for a while, then what is still held is what the client kept: unbounded, answers pile up at 10 MiB or more a second.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const held = memoryInUse() - before;
      assert.ok(held < 16 * 1024 * 1024, `the client holds ${(held / 2 ** 20).toFixed(1)} MiB more after 4 s`);
      assert.deepEqual(errors, []);
      assert.equal(client.status, 'open');
      client.close();
    });
  }

  test('past a small maxSendBuffer, the client closes with slow-consumer and reconnects to a server that reads', async () => {
    const url = await startServer((socket) => floodWithoutReading(socket, calls));
    const client = connect(url, { maxSendBuffer: 64 * 1024, reconnect: { initialDelay: 10 }, actions: { echo: (text) => text } });
    clients.push(client);
    const error = nextEvent<JugglerErrorEvent>(client, 'error');
    const closed = nextEvent<JugglerCloseEvent>(client, 'close');
    assert.equal((await error).code, 'slow-consumer');
    assert.match((await error).message, /over 65536 bytes unsent/);
    assert.equal((await closed).code, 1013);
    await until(() => client.status === 'open' && client.remoteData !== null, 'the reconnect');
    assert.deepEqual(client.remoteData, { served: 2 });
    client.close();
  });
});
