/** The server holds a bounded number of WebSocket connections, in all and per remote address. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { until } from '../support/wait.js';

const servers: JugglerServer[] = [];
const sockets: WebSocket[] = [];
after(async () => {
  for (const socket of sockets) socket.terminate();
  await Promise.all(servers.map((server) => server.close()));
});

async function start(options: ListenOptions = {}): Promise<JugglerServer> {
  const server = await listen({ port: 0, ...options });
  servers.push(server);
  return server;
}

type Outcome = { open: WebSocket } | { status: number; retryAfter: string | undefined };

/** Opens a WebSocket from `localAddress` (any 127.x.x.x is this machine) and says how the upgrade went. */
function attempt(url: string, localAddress = '127.0.0.1'): Promise<Outcome> {
  const socket = new WebSocket(url, { localAddress });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ open: socket }));
    socket.once('error', reject);
    socket.once('unexpected-response', (request, response) => {
      resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] });
      request.destroy();
    });
  });
}

async function opened(url: string, localAddress?: string): Promise<WebSocket> {
  const outcome = await attempt(url, localAddress);
  assert.ok('open' in outcome, `refused with HTTP ${'status' in outcome ? outcome.status : '?'}`);
  return outcome.open;
}

async function closeAndWait(server: JugglerServer, socket: WebSocket): Promise<void> {
  const before = server.peers.size;
  socket.close();
  await until(() => server.peers.size === before - 1, 'the server to see the connection close');
}

describe('connection limits', () => {
  test('one connection past the total is refused with 503 and Retry-After, and accepted once one closes', async () => {
    const server = await start({ maxConnections: { total: 3 } });
    const first = await opened(server.url);
    await opened(server.url, '127.0.0.2');
    await opened(server.url, '127.0.0.3');
    const refused = await attempt(server.url, '127.0.0.4');
    assert.deepEqual(refused, { status: 503, retryAfter: '10' });
    assert.equal(server.peers.size, 3, 'the refused one never became a connection');
    await closeAndWait(server, first);
    await opened(server.url, '127.0.0.4');
  });

  test('one connection past the per-address limit is refused with 429; other addresses still get in', async () => {
    const server = await start({ maxConnections: { perAddress: 2 } });
    const first = await opened(server.url);
    await opened(server.url);
    assert.deepEqual(await attempt(server.url), { status: 429, retryAfter: '10' });
    await opened(server.url, '127.0.0.2');
    await closeAndWait(server, first);
    await opened(server.url);
    assert.deepEqual(await attempt(server.url), { status: 429, retryAfter: '10' });
  });

  test('refused and failed upgrades take no place', async () => {
    const server = await start({ maxConnections: { total: 1 } });
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await attempt(server.url.replace(/\/ws$/, '/elsewhere')), { status: 404, retryAfter: undefined });
    }
    await opened(server.url);
  });

  test('by default, hundreds of connections from one address are not all accepted', async () => {
    const server = await start();
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 101; i++) outcomes.push(await attempt(server.url));
    assert.equal(outcomes.filter((outcome) => 'open' in outcome).length, 100);
    assert.deepEqual(outcomes.at(-1), { status: 429, retryAfter: '10' });
  });
});
