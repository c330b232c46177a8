/**
 * What the reference peers (hat-juggler up to 0.5.14, see wire-facts.md) put on
 * the wire, replayed byte for byte over a real socket against the Node peer and
 * the client.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { JugglerPeer } from '../../src/core/peer.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer } from '../../src/node/listen.js';
import { until } from '../support/wait.js';

const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

async function server(): Promise<{ server: JugglerServer; peers: JugglerPeer[] }> {
  const peers: JugglerPeer[] = [];
  const s = await listen({ port: 0, delay: 0, onConnection: (peer) => peers.push(peer) });
  closers.push(() => s.close());
  return { server: s, peers };
}

async function rawClient(url: string): Promise<{ socket: WebSocket; received: string[] }> {
  const socket = new WebSocket(url);
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString()));
  await new Promise((resolve) => socket.once('open', resolve));
  closers.push(() => socket.close());
  return { socket, received };
}

describe('interoperating with the reference peers', () => {
  test('frames written the Python way (spaces, \\u escapes, move) are understood', async () => {
    const { server: s, peers } = await server();
    const { socket } = await rawClient(s.url);
    await until(() => peers.length === 1, 'the connection');
    socket.send('{"type": "DATA", "payload": [{"op": "replace", "path": "", "value": {"caf\\u00e9": [1, 2], "old": {"x": 1}}}]}');
    socket.send('{"type": "DATA", "payload": [{"op": "move", "from": "/old", "path": "/new"}, {"op": "copy", "from": "/new", "path": "/copy"}]}');
    await until(() => JSON.stringify(peers[0].remoteData) === '{"café":[1,2],"new":{"x":1},"copy":{"x":1}}', 'the patched data');
  });

  test('frames written the jiff way (a test before the replace) are understood', async () => {
    const { server: s, peers } = await server();
    const { socket } = await rawClient(s.url);
    await until(() => peers.length === 1, 'the connection');
    socket.send('{"type":"DATA","payload":[{"op":"test","path":"","value":null},{"op":"replace","path":"","value":{"a":1}}]}');
    socket.send('{"type":"DATA","payload":[{"op":"test","path":"/a","value":1},{"op":"replace","path":"/a","value":2}]}');
    await until(() => JSON.stringify(peers[0].remoteData) === '{"a":2}', 'the patched data');
  });

  test('our first DATA is a whole-document replace, and no PING is ever sent unasked', async () => {
    const { server: s, peers } = await server();
    const { received } = await rawClient(s.url);
    await until(() => peers.length === 1, 'the connection');
    peers[0].setAt('/a', 1);
    peers[0].setAt('/b', [1]);
    peers[0].send({ hello: 1 });
    await until(() => received.length === 3, 'three frames');
    assert.deepEqual(received.map((frame) => JSON.parse(frame)), [
      { type: 'DATA', payload: [{ op: 'replace', path: '', value: { a: 1 } }] },
      { type: 'DATA', payload: [{ op: 'add', path: '/b', value: [1] }] },
      { type: 'MESSAGE', payload: { hello: 1 } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(received.every((frame) => !frame.includes('PING')));
  });

  test('a PING from a 0.5.12+ peer gets a PONG at once', async () => {
    const { server: s, peers } = await server();
    const { socket, received } = await rawClient(s.url);
    await until(() => peers.length === 1, 'the connection');
    socket.send('{"type": "PING", "payload": {}}');
    await until(() => received.length === 1, 'the answer');
    assert.deepEqual(JSON.parse(received[0]), { type: 'PONG', payload: {} });
  });

  test('the client talks to a server that behaves as the Python reference', async () => {
    // A stand-in for hat-juggler's server: Python-formatted frames, move operations, and RpcConnection calls.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    closers.push(() => new Promise((resolve) => wss.close(resolve)));
    await new Promise((resolve) => wss.once('listening', resolve));
    const fromClient: Array<{ type: string; payload: { id?: number; direction?: string } }> = [];
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        fromClient.push(frame);
        if (frame.payload?.direction === 'request') {
          socket.send(`{"type": "MESSAGE", "payload": {"type": "rpc", "id": ${frame.payload.id}, "direction": "response", "success": true, "result": 42}}`);
        }
      });
      socket.send('{"type": "DATA", "payload": [{"op": "replace", "path": "", "value": {"items": ["a", "b"], "title": "\\u00e9t\\u00e9"}}]}');
      socket.send('{"type": "DATA", "payload": [{"op": "move", "from": "/items/0", "path": "/items/1"}]}');
      socket.send('{"type": "MESSAGE", "payload": {"type": "rpc", "id": 1, "direction": "request", "action": "title", "args": ["x"]}}');
    });
    const client = connect(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`, { delay: 0, actions: { title: (x) => `title ${x}` } });
    closers.push(() => client.close());
    assert.equal(await client.call('ping'), 42);
    await until(() => fromClient.length === 2, 'the answer to the server\'s call');
    assert.deepEqual(client.remoteData, { items: ['b', 'a'], title: 'été' });
    client.setAt('/x', 1);
    await until(() => fromClient.length === 3, 'the client frames');
    assert.deepEqual(
      fromClient.sort((a, b) => (a.payload.direction ?? '').localeCompare(b.payload.direction ?? '')),
      [
        { type: 'DATA', payload: [{ op: 'replace', path: '', value: { x: 1 } }] },
        { type: 'MESSAGE', payload: { type: 'rpc', id: 1, direction: 'request', action: 'ping', args: [] } },
        { type: 'MESSAGE', payload: { type: 'rpc', id: 1, direction: 'response', success: true, result: 'title x' } },
      ],
    );
  });
});
