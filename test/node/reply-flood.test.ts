/** A client that sends calls and PINGs and never reads their answers cannot make the server queue answers without end. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { frame, rawClient } from '../support/raw-websocket.js';
import { nextEvent, until } from '../support/wait.js';

const servers: JugglerServer[] = [];
const clients: Socket[] = [];
after(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

const kib = 1024;
const mib = 1024 * kib;

/** A call of an unknown action made of backslashes: the answer quotes it escaped again, so it is twice the request. */
const action = '\\'.repeat(30 * kib);
const call = frame(JSON.stringify({ type: 'MESSAGE', payload: { type: 'rpc', id: 1, direction: 'request', action } }), { mask: true });
const ping = frame(JSON.stringify({ type: 'PING', payload: {} }), { mask: true });
const answerSize = 2 * call.length + 200;

interface Stalled {
  server: JugglerServer;
  /** The client's socket: it never reads. */
  client: Socket;
  /** The server side of the connection: its `writableLength` is what the server holds unsent. */
  serverSide: Socket;
  peer: JugglerPeer;
}

async function stalledClient(options: ListenOptions): Promise<Stalled> {
  const connections: Array<{ peer: JugglerPeer; serverSide: Socket }> = [];
  const server = await listen({ port: 0, ...options, onConnection: (peer, request) => connections.push({ peer, serverSide: request.socket as Socket }) });
  servers.push(server);
  const { socket: client } = await rawClient(server.url);
  clients.push(client);
  client.pause();
  await until(() => connections.length === 1, 'the server to accept the connection');
  return { server, client, ...connections[0] };
}

/**
 * Sends `batch` over and over until `budget` bytes are sent or the server stops
 * taking them, calling `observe` after every batch. The server not reading shows
 * as a send queue that never drains: 500 ms without a drain counts as that.
 */
async function flood(client: Socket, batch: readonly Buffer[], budget: number, observe: () => void = () => {}): Promise<number> {
  let sent = 0;
  while (sent < budget && !client.destroyed) {
    for (const bytes of batch) {
      client.write(bytes);
      sent += bytes.length;
    }
    observe();
    if (client.writableLength < mib) continue;
    const drained = await Promise.race([once(client, 'drain').then(() => true, () => false), new Promise((done) => setTimeout(done, 500, false))]);
    if (!drained) break;
  }
  return sent;
}

describe('a client that sends calls and PINGs and never reads', () => {
  test('is read no further while the server holds its answers unsent, so they stay bounded', async () => {
    const limits = { sendHighWaterMark: 256 * kib, maxSendBuffer: mib, maxSendBufferTime: 60_000 };
    const { client, serverSide, peer } = await stalledClient(limits);
    const errors: string[] = [];
    peer.addEventListener('error', (event) => errors.push((event as JugglerErrorEvent).code));

    const memory = () => {
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const memoryBefore = memory();
    let largestUnsent = 0;
    let largestMemory = memoryBefore;
    const batch = [call, ...Array.from({ length: 100 }, () => ping)];
    const sent = await flood(client, batch, 48 * mib, () => {
      largestUnsent = Math.max(largestUnsent, serverSide.writableLength);
      largestMemory = Math.max(largestMemory, memory());
    });

    assert.ok(
      largestUnsent <= limits.sendHighWaterMark + 4 * answerSize,
      `the server held ${largestUnsent} bytes unsent for a client that sent ${sent} bytes and read none; the bound is ${limits.sendHighWaterMark} + a few answers`,
    );
    assert.ok(
      largestMemory - memoryBefore < 32 * mib,
      `the server's memory grew by ${Math.round((largestMemory - memoryBefore) / mib)} MiB while the client sent ${Math.round(sent / mib)} MiB`,
    );
    assert.ok(peer.isOpen, 'the connection stays open below the hard limit');
    assert.deepEqual(errors, []);

    // Once the client reads again, the server reads it again and answers the rest.
    const pong = JSON.stringify({ type: 'PONG', payload: {} });
    let received = '';
    client.on('data', (chunk: Buffer) => (received = (received + chunk.toString('latin1')).slice(-4 * kib)));
    client.resume();
    await until(() => client.writableLength === 0 && serverSide.writableLength === 0, 'the client and server to catch up', 20_000);
    client.write(ping);
    await until(() => received.endsWith(pong), 'the answer to a PING sent after catching up');
  });

  test('is cut at once when it stays over maxSendBuffer for maxSendBufferTime', async () => {
    const limits = { sendHighWaterMark: 32 * kib, maxSendBuffer: 64 * kib, maxSendBufferTime: 200 };
    const { server, client, serverSide, peer } = await stalledClient(limits);
    const error = nextEvent<JugglerErrorEvent>(peer, 'error', 10_000);
    const serverSideClosed = once(serverSide, 'close');

    void flood(client, [call], 48 * mib);
    assert.equal((await error).code, 'slow-consumer');
    const errorAt = Date.now();
    // ws would otherwise wait 30 s for a closing handshake that cannot get through the backlog.
    await Promise.race([serverSideClosed, new Promise((_, fail) => setTimeout(fail, 3000, new Error('the socket is still open 3 s after the error')).unref())]);
    assert.ok(Date.now() - errorAt < 3000);
    await until(() => server.connectionCount === 0, 'the connection to leave the server');
  });
});
