/** Clients that reset the TCP connection around a refused or half-done upgrade must not take the server down. */
import assert from 'node:assert/strict';
import { connect as tcpConnect, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { rawSocket } from '../support/raw-socket.js';

const servers: JugglerServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function start(options: ListenOptions = {}): Promise<JugglerServer> {
  const server = await listen({ port: 0, ...options });
  servers.push(server);
  return server;
}

const rounds = 40;

function upgradeRequest(path: string, headers: Record<string, string> = {}): string {
  const all = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
}

/**
 * Sends `text` and resets the connection (RST, no FIN) `when` told: at once, once
 * the bytes are handed to the system, or once the server's answer starts to
 * arrive. Resolves when the socket is gone.
 */
function sendAndReset(port: number, text: string, when: 'at-once' | 'once-written' | 'on-answer'): Promise<void> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.write(text, () => when === 'once-written' && socket.resetAndDestroy());
      if (when === 'at-once') socket.resetAndDestroy();
    });
    socket.on('data', () => socket.resetAndDestroy());
    socket.on('error', () => {});
    socket.on('close', () => resolve());
  });
}

/** Many resetting clients in parallel batches, then a normal connection that must still be served. */
async function survives(server: JugglerServer, text: string, answered = true): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await Promise.all([
      sendAndReset(server.port, text, 'at-once'),
      sendAndReset(server.port, text, 'once-written'),
      sendAndReset(server.port, text, answered ? 'on-answer' : 'at-once'),
    ]);
  }
  (await rawSocket(server.url)).close();
}

describe('a client that resets the connection', () => {
  test('after asking for the wrong path (404)', async () => {
    const server = await start();
    await survives(server, upgradeRequest('/not-the-endpoint'));
  });

  test('after sending a foreign Origin (403)', async () => {
    const server = await start();
    await survives(server, upgradeRequest('/ws', { Origin: 'https://evil.example' }));
  });

  test('while the server is shutting down (503)', { timeout: 8000 }, async () => {
    const server = await start({ shutdownTimeout: 10_000 });
    // A connection that never answers the closing handshake keeps close() waiting, and the server refusing.
    const silent = await openSilently(server.port);
    const closing = server.close();
    for (let round = 0; round < rounds; round++) {
      await Promise.all([
        sendAndReset(server.port, upgradeRequest('/ws'), 'at-once'),
        sendAndReset(server.port, upgradeRequest('/ws'), 'on-answer'),
      ]);
    }
    assert.match(await answerTo(server.port, upgradeRequest('/ws')), /^HTTP\/1.1 503 /);
    silent.destroy();
    await closing;
  });

  test('in the middle of the request', async () => {
    const server = await start();
    await survives(server, upgradeRequest('/ws').slice(0, 60), false);
  });

  test('after sending a bad Sec-WebSocket-Key', async () => {
    const server = await start();
    await survives(server, upgradeRequest('/ws', { 'Sec-WebSocket-Key': 'not a key' }));
  });

  test('a refused upgrade is answered and then closed, even if the client keeps its side open', { timeout: 5000 }, async () => {
    const server = await start();
    assert.match(await answerTo(server.port, upgradeRequest('/elsewhere')), /^HTTP\/1.1 404 /);
  });
});

/**
 * The server's whole answer to `text`, once the server has let go of the connection. The client
 * never ends its own side: after the server's FIN it keeps writing, which fails only once the
 * server has closed its socket (a half-closed one takes the bytes in silence).
 */
function answerTo(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write(text));
    let answer = '';
    let probe: ReturnType<typeof setInterval> | undefined;
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => (probe = setInterval(() => socket.write('\r\n'), 10)));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(probe);
      resolve(answer);
    });
  });
}

/** A WebSocket connection opened by hand that then reads nothing more and answers nothing. */
function openSilently(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => socket.write(upgradeRequest('/ws')));
    socket.once('data', (chunk) => {
      if (String(chunk).startsWith('HTTP/1.1 101 ')) resolve(socket);
      else reject(new Error(String(chunk)));
      socket.pause();
    });
    socket.on('error', () => {});
  });
}
