/** Hostile and unlucky inputs found in review, each reproduced against the fix. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, mock, test } from 'node:test';
import { JugglerClient } from '../../src/client/juggler-client.js';
import { diff } from '../../src/core/diff.js';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import { LocalState } from '../../src/core/local-state.js';
import type { JsonValue } from '../../src/core/json.js';
import { FakeSocket } from '../support/fake-socket.js';
import { openPeer } from '../support/fake-transport.js';
import { rawSocket } from '../support/raw-socket.js';
import { startServer } from '../support/test-server.js';

/** Sends raw bytes to the server and resolves with the first line of its answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer.split('\r\n')[0]));
    socket.on('error', reject);
  });
}


describe('the Node server survives', () => {
  test('an error whose close reason would pass 123 bytes', async () => {
    const { server } = await startServer();
    const socket = await rawSocket(server.url);
    const closed = new Promise<[number, string]>((resolve) => socket.once('close', (code, reason) => resolve([code, reason.toString()])));
    socket.send(JSON.stringify({ type: 'é'.repeat(80), payload: 1 }));
    const [code, reason] = await closed;
    assert.equal(code, 1002);
    assert.ok(Buffer.byteLength(reason) <= 123, `reason of ${Buffer.byteLength(reason)} bytes`);
    (await rawSocket(server.url)).close();
  });

  test('an upgrade request with a malformed URL', async () => {
    const { server } = await startServer();
    const answer = await rawRequest(server.port, 'GET // HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    assert.match(answer, /^HTTP\/1.1 (400|404)/);
    (await rawSocket(server.url)).close();
  });

  test('a folder whose index.html is itself a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'juggler-odd-'));
    await mkdir(join(dir, 'd', 'index.html'), { recursive: true });
    const { server } = await startServer({ staticDir: dir });
    assert.equal((await fetch(new URL('/d/', server.httpUrl))).status, 404);
    assert.equal((await fetch(new URL('/d/', server.httpUrl))).status, 404);
  });

  test('a page from another domain resolved to 127.0.0.1 (DNS rebinding) is refused', async () => {
    const { server } = await startServer();
    await assert.rejects(rawSocket(server.url, { host: `rebind.example:${server.port}`, origin: `http://rebind.example:${server.port}` }), /HTTP 403/);
    (await rawSocket(server.url, { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` })).close();
  });

  test('behind a reverse proxy, a listed origin with its own Host is accepted, and so are *.localhost names', async () => {
    const { server } = await startServer({ allowedOrigins: ['https://example.com'] });
    (await rawSocket(server.url, { host: 'example.com', origin: 'https://example.com' })).close();
    const { server: plain } = await startServer();
    (await rawSocket(plain.url, { host: `app.localhost:${plain.port}`, origin: `http://app.localhost:${plain.port}` })).close();
  });

  test('connections attempted during shutdown are refused', async () => {
    const { server } = await startServer();
    const closing = server.close();
    await assert.rejects(rawSocket(server.url));
    await closing;
  });
});

describe('patches that would blow up the document', () => {
  test('copying the root into itself again and again is refused past the size limit', () => {
    const { peer } = openPeer({ maxMessageSize: 100_000 });
    const errors: string[] = [];
    peer.addEventListener('error', (e: JugglerErrorEvent) => errors.push(e.code));
    peer.receive(JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: ['x'.repeat(1000)] }] }));
    peer.receive(JSON.stringify({ type: 'DATA', payload: Array.from({ length: 18 }, () => ({ op: 'copy', from: '', path: '/-' })) }));
    assert.deepEqual(errors, ['message-too-large']);
    assert.equal((peer.remoteData as unknown[]).length, 1, 'the patch was not applied');
  });

  test('nesting deeper message by message, or by copying into itself, is refused', () => {
    const { peer } = openPeer({ maxDepth: 10 });
    const errors: string[] = [];
    peer.addEventListener('error', (e: JugglerErrorEvent) => errors.push(e.code));
    peer.receive(JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: { a: { b: { c: {} } } } }] }));
    peer.receive(JSON.stringify({ type: 'DATA', payload: [{ op: 'add', path: '/a/b/c/d', value: [[[[[[[[1]]]]]]]] }] }));
    assert.deepEqual(errors, ['too-deep']);
    const second = openPeer({ maxDepth: 10 }).peer;
    second.addEventListener('error', (e: JugglerErrorEvent) => errors.push(e.code));
    second.receive(JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: { a: 1 } }, ...Array.from({ length: 20 }, () => ({ op: 'copy', from: '', path: '/a' }))] }));
    assert.deepEqual(errors, ['too-deep', 'too-deep']);
  });
});

describe('local data edge cases', () => {
  test('switching to a local state with null data clears what the other peer holds', () => {
    const { peer, transport } = openPeer({ localState: new LocalState({ data: { old: 1 } }) });
    peer.localState = new LocalState();
    assert.deepEqual(transport.patches.at(-1), [{ op: 'replace', path: '', value: null }]);
  });

  test('switching to a shared state that turns null before its next send still clears the other peer', () => {
    const shared = new LocalState<JsonValue>({ delay: 'manual', data: { shared: 1 } });
    openPeer({ localState: shared });
    const { peer, transport } = openPeer({ localState: new LocalState({ data: { mine: 1 } }) });
    shared.setAt('/shared', 2);
    peer.localState = shared;
    shared.replace(null);
    shared.flush();
    assert.deepEqual(transport.patches.at(-1), [{ op: 'replace', path: '', value: null }]);
  });

  test('members set to undefined are absent, as in JSON', () => {
    assert.deepEqual(diff({ a: 1, b: 2 }, { a: undefined, b: 2, c: undefined } as never), [{ op: 'remove', path: '/a' }]);
    assert.deepEqual(diff({}, { a: undefined } as never), []);
  });
});

describe('client races', () => {
  test('reconnect() called from a close listener leaves exactly one live socket', async () => {
    FakeSocket.made.length = 0;
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const client = new JugglerClient({ url: 'ws://example.test/ws', createSocket: (url, protocols) => new FakeSocket(url, protocols) });
      client.connect();
      await new Promise((resolve) => setImmediate(resolve));
      FakeSocket.last.open();
      client.addEventListener('close', () => client.reconnect(), { once: true });
      FakeSocket.last.drop();
      await new Promise((resolve) => setImmediate(resolve));
      FakeSocket.last.open();
      mock.timers.tick(60_000);
      await new Promise((resolve) => setImmediate(resolve));
      const live = FakeSocket.made.filter((socket) => socket.readyState === 1);
      assert.equal(live.length, 1, `${FakeSocket.made.length} sockets made, ${live.length} open`);
      assert.equal(FakeSocket.made.length, 2, 'one retry, not two');
      client.close();
    } finally {
      mock.timers.reset();
    }
  });
});

