/** Unfinished HTTP requests (half-open handshakes) are bounded in time and in number. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { handshakeSockets } from '../../src/node/connection-limits.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';

const servers: JugglerServer[] = [];
const sockets: Array<{ destroy(): void }> = [];
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

async function start(options: ListenOptions): Promise<JugglerServer> {
  const server = await listen({ port: 0, ...options });
  servers.push(server);
  return server;
}

/** A TCP connection to `server` that starts a WebSocket handshake and never finishes it. */
async function halfOpen(server: JugglerServer): Promise<Socket & { received: string }> {
  const socket = Object.assign(connect(server.port, '127.0.0.1'), { received: '' });
  sockets.push(socket);
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => (socket.received += chunk.toString('latin1')));
  await once(socket, 'connect');
  socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\n`);
  return socket;
}

/** Resolves when `socket` closes; rejects after `ms`. */
function closedWithin(socket: Socket, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} is still open after ${ms} ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('an HTTP request that never finishes', () => {
  test('gets 408 and is closed after handshakeTimeout, while open WebSockets stay', async () => {
    const server = await start({ handshakeTimeout: 300 });
    const webSocket = new WebSocket(server.url);
    sockets.push({ destroy: () => webSocket.terminate() });
    await once(webSocket, 'open');

    const socket = await halfOpen(server);
    const startedAt = Date.now();
    await closedWithin(socket, 3000, 'the unfinished request');
    assert.ok(Date.now() - startedAt >= 250, 'closed before its time');
    assert.match(socket.received, /^HTTP\/1\.1 408 /);
    assert.equal(webSocket.readyState, WebSocket.OPEN, 'a WebSocket older than handshakeTimeout stays open');
  });

  test('takes a place under maxConnections.total plus a margin of sockets; past it, a socket is closed at once', async () => {
    const server = await start({ maxConnections: { total: 2 }, handshakeTimeout: 60_000 });
    const held = await Promise.all(Array.from({ length: 2 + handshakeSockets }, () => halfOpen(server)));
    const dropped: Socket[] = [];
    for (const socket of held) socket.once('close', () => dropped.push(socket));

    const oneMore = await halfOpen(server);
    await closedWithin(oneMore, 3000, 'the socket past the limit');
    assert.equal(oneMore.received, '', 'it is closed without an answer');
    assert.deepEqual(dropped, [], 'the sockets within the limit stay');
  });
});
