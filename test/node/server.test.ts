import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { rawSocket } from '../support/raw-socket.js';
import { LocalState } from '../../src/core/local-state.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import type { JugglerErrorEvent, JugglerMessageEvent } from '../../src/core/events.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { nextEvent, until } from '../support/wait.js';

const servers: JugglerServer[] = [];
const clients: Array<{ close(): void }> = [];
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => server.close()));
});

async function start(options: ListenOptions = {}) {
  const peers: JugglerPeer[] = [];
  const server = await listen({ port: 0, delay: 0, ...options, onConnection: (peer) => peers.push(peer) });
  servers.push(server);
  return { server, peers };
}

function client(url: string, options: Parameters<typeof connect>[1] = {}) {
  const c = connect(url, { delay: 0, ...options });
  clients.push(c);
  return c;
}


describe('Node peer over real sockets', () => {
  test('DATA and MESSAGE travel both ways', async () => {
    const { server, peers } = await start();
    const c = client(server.url);
    await nextEvent(c, 'open');
    c.setAt('/from/client', 1);
    await until(() => peers[0]?.remoteData !== null, 'the server to receive DATA');
    assert.deepEqual(peers[0].remoteData, { from: { client: 1 } });
    peers[0].setAt('/from/server', [1, 2]);
    await until(() => c.remoteData !== null, 'the client to receive DATA');
    assert.deepEqual(c.remoteData, { from: { server: [1, 2] } });

    const toServer = nextEvent<JugglerMessageEvent>(peers[0], 'message');
    c.send({ hello: 'server' });
    assert.deepEqual((await toServer).payload, { hello: 'server' });
    const toClient = nextEvent<JugglerMessageEvent>(c, 'message');
    peers[0].send(['hi', 'client']);
    assert.deepEqual((await toClient).payload, ['hi', 'client']);
  });

  test('one shared state is broadcast to every connection', async () => {
    const shared = new LocalState({ delay: 10, data: { n: 0 } });
    const { server } = await start({ sharedState: shared });
    const cs = [client(server.url), client(server.url), client(server.url)];
    await until(() => cs.every((c) => c.remoteData !== null), 'every client to get the state');
    shared.setAt('/n', 1);
    shared.setAt('/list', ['a']);
    await until(() => cs.every((c) => JSON.stringify(c.remoteData) === '{"n":1,"list":["a"]}'), 'every client to follow');
  });

  test('refuses pages from other origins unless allowed', async () => {
    const { server } = await start();
    await assert.rejects(rawSocket(server.url, { origin: 'https://evil.example' }), /HTTP 403/);
    const sameOrigin = await rawSocket(server.url, { origin: server.httpUrl.replace(/\/$/, '') });
    sameOrigin.close();
    const noOrigin = await rawSocket(server.url);
    noOrigin.close();
    const { server: open } = await start({ allowedOrigins: ['https://app.example'] });
    (await rawSocket(open.url, { origin: 'https://app.example' })).close();
    await assert.rejects(rawSocket(open.url, { origin: 'https://other.example' }), /HTTP 403/);
  });

  test('only the endpoint path upgrades', async () => {
    const { server } = await start();
    await assert.rejects(rawSocket(server.url.replace(/\/ws$/, '/other')), /HTTP 404/);
  });

  test('an oversized message gets a typed error and a 1009 close', async () => {
    const { server, peers } = await start({ maxMessageSize: 1000 });
    const socket = await rawSocket(server.url);
    await until(() => peers.length === 1, 'the connection');
    const error = nextEvent<JugglerErrorEvent>(peers[0], 'error');
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(JSON.stringify({ type: 'MESSAGE', payload: 'x'.repeat(2000) }));
    assert.equal((await error).code, 'message-too-large');
    assert.equal(await closed, 1009);
  });

  test('a binary frame or a bad patch closes with a fitting code', async () => {
    const { server, peers } = await start();
    const socket = await rawSocket(server.url);
    await until(() => peers.length === 1, 'the connection');
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(Buffer.from([1, 2, 3]));
    assert.equal(await closed, 1003);

    const second = await rawSocket(server.url);
    await until(() => peers.length === 2, 'the second connection');
    const error = nextEvent<JugglerErrorEvent>(peers[1], 'error');
    const closed2 = new Promise<number>((resolve) => second.once('close', resolve));
    second.send('{"type": "DATA", "payload": [{"op": "add", "path": "/__proto__/polluted", "value": 1}]}');
    assert.equal((await error).code, 'patch-failed');
    assert.equal(await closed2, 1007);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('serves static files and nothing outside the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'juggler-static-'));
    await writeFile(join(dir, 'index.html'), '<h1>hello</h1>');
    const { server } = await start({ staticDir: dir });
    const index = await fetch(server.httpUrl);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await index.text(), '<h1>hello</h1>');
    for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd', '/missing.js']) {
      const status = await new Promise<number>((resolve) => {
        request(`${server.httpUrl.replace(/\/$/, '')}${path}`, (res) => resolve(res.statusCode ?? 0)).end();
      });
      assert.equal(status, 404, path);
    }
  });

  test('shutting down closes every connection with 1001', async () => {
    const server = await listen({ port: 0 });
    const c = client(server.url, { reconnect: false });
    await nextEvent(c, 'open');
    const closed = nextEvent<Event & { code: number }>(c, 'close');
    await server.close();
    assert.equal((await closed).code, 1001);
    assert.equal(c.status, 'closed');
  });

  test('the client reconnects when the server returns, and what was written meanwhile arrives', async () => {
    const first = await listen({ port: 0, delay: 0 });
    const port = first.port;
    const c = client(first.url, { reconnect: { initialDelay: 20, maxDelay: 100 } });
    await nextEvent(c, 'open');
    c.setAt('/before', 1);
    await first.close();
    await until(() => c.status === 'reconnecting', 'reconnecting');
    c.setAt('/offline', 2);
    c.send('queued while offline');
    const peers: JugglerPeer[] = [];
    const messages: unknown[] = [];
    const second = await listen({
      port,
      onConnection: (peer) => {
        peers.push(peer);
        peer.addEventListener('message', (e) => messages.push(e.payload));
      },
    });
    servers.push(second);
    await until(() => c.status === 'open', 'the client to reopen');
    await until(() => peers[0]?.remoteData !== null && messages.length === 1, 'the data and the message');
    assert.deepEqual(peers[0].remoteData, { before: 1, offline: 2 });
    assert.deepEqual(messages, ['queued while offline']);
  });
});
