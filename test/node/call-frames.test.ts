/**
 * Call frames on the wire: what reference peers send (`RpcConnection` inside
 * MESSAGE, written the Python way), what we send back, and hostile call frames
 * from raw sockets on both sides.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import type { JsonValue } from '../../src/core/json.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { connect } from '../../src/node/connect.js';
import { listen, type ListenOptions } from '../../src/node/listen.js';
import { rawSocket } from '../support/raw-socket.js';
import { until } from '../support/wait.js';

const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

type Frame = { type: string; payload: { type?: string; id?: number; direction?: string; action?: string; args?: JsonValue[]; success?: boolean; result?: JsonValue } };

/** A server, and a raw client on it that records what it receives and how it was closed. */
async function rawClientOf(options: ListenOptions = {}) {
  const peers: JugglerPeer[] = [];
  const errors: string[] = [];
  const server = await listen({
    port: 0,
    ...options,
    onConnection: (peer) => {
      peers.push(peer);
      peer.addEventListener('error', (e) => errors.push(e.code));
    },
  });
  closers.push(() => server.close());
  const open = async () => {
    const socket = await rawSocket(server.url);
    const received: Frame[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    const message = (payload: JsonValue) => socket.send(JSON.stringify({ type: 'MESSAGE', payload }));
    await until(() => peers.length > 0 && peers.at(-1)!.isOpen, 'the connection');
    return { socket, received, closed, message, peer: peers.at(-1)! };
  };
  return { server, peers, errors, open };
}

const request = (id: number, action: string, args: JsonValue[] = []) => ({ type: 'rpc', id, direction: 'request', action, args });

describe('call frames on the wire', () => {
  test('a request written the Python way is answered in the convention, and ordinary MESSAGEs stay messages', async () => {
    const { open } = await rawClientOf({ actions: { add: (a, b) => (a as number) + (b as number), fail: () => { throw new Error('nope'); }, none: () => {} } });
    const { socket, received, peer } = await open();
    const heard: JsonValue[] = [];
    peer.addEventListener('message', (e) => heard.push(e.payload));
    socket.send('{"type": "MESSAGE", "payload": {"type": "rpc", "id": 7, "direction": "request", "action": "add", "args": [1, 2]}}');
    socket.send('{"type": "MESSAGE", "payload": {"type": "rpc", "id": 8, "direction": "request", "action": "fail", "args": []}}');
    socket.send('{"type": "MESSAGE", "payload": {"type": "rpc", "id": 9, "direction": "request", "action": "none"}}');
    socket.send('{"type": "MESSAGE", "payload": {"type": "rpcish", "id": 10}}');
    socket.send('{"type": "MESSAGE", "payload": ["rpc", 11]}');
    await until(() => received.length === 3 && heard.length === 2, 'three answers and two messages');
    assert.deepEqual(received, [
      { type: 'MESSAGE', payload: { type: 'rpc', id: 7, direction: 'response', success: true, result: 3 } },
      { type: 'MESSAGE', payload: { type: 'rpc', id: 8, direction: 'response', success: false, result: 'nope' } },
      { type: 'MESSAGE', payload: { type: 'rpc', id: 9, direction: 'response', success: true, result: null } },
    ]);
    assert.deepEqual(heard, [{ type: 'rpcish', id: 10 }, ['rpc', 11]]);
  });

  test('the server numbers its calls from 1 on every connection, and takes the answers of a reference peer', async () => {
    const { open } = await rawClientOf();
    const first = await open();
    const calls = [first.peer.call('a', [1]), first.peer.call('b')];
    await until(() => first.received.length === 2, 'the requests');
    assert.deepEqual(first.received.map((f) => f.payload), [request(1, 'a', [1]), request(2, 'b')]);
    first.socket.send('{"type": "MESSAGE", "payload": {"type": "rpc", "id": 2, "direction": "response", "success": false, "result": "b failed"}}');
    first.socket.send('{"type": "MESSAGE", "payload": {"type": "rpc", "id": 1, "direction": "response", "success": true, "result": {"caf\\u00e9": 1}}}');
    assert.deepEqual(await calls[0], { café: 1 });
    await assert.rejects(calls[1], { code: 'call-failed', message: 'b failed' });
    const second = await open();
    void second.peer.call('c').catch(() => {});
    await until(() => second.received.length === 1, 'the request');
    assert.equal(second.received[0].payload.id, 1);
  });

  test('a duplicate answer, or one to a call never made, is reported and the connection stays open', async () => {
    const { open, errors } = await rawClientOf({ actions: { one: () => 1 } });
    const { received, message, peer } = await open();
    const call = peer.call('ask');
    await until(() => received.length === 1, 'the request');
    message({ type: 'rpc', id: 1, direction: 'response', success: true, result: 'first' });
    message({ type: 'rpc', id: 1, direction: 'response', success: true, result: 'again' });
    message({ type: 'rpc', id: 99, direction: 'response', success: false, result: 'never asked' });
    assert.equal(await call, 'first');
    message(request(5, 'one'));
    await until(() => received.length === 2, 'the answer to a request after them');
    assert.deepEqual(received[1].payload, { type: 'rpc', id: 5, direction: 'response', success: true, result: 1 });
    assert.deepEqual(errors, ['unknown-call', 'unknown-call']);
    assert.equal(peer.isOpen, true);
  });

  const malformed: Array<[string, JsonValue]> = [
    ['a string id', { type: 'rpc', id: '1', direction: 'request', action: 'one', args: [] }],
    ['a fractional id', { type: 'rpc', id: 1.5, direction: 'request', action: 'one', args: [] }],
    ['an id past 2^53', { type: 'rpc', id: 2 ** 53, direction: 'response', success: true, result: 1 }],
    ['a huge id', { type: 'rpc', id: 1e300, direction: 'request', action: 'one', args: [] }],
    ['a negative id', { type: 'rpc', id: -1, direction: 'request', action: 'one', args: [] }],
    ['no id', { type: 'rpc', direction: 'request', action: 'one', args: [] }],
    ['an unknown direction', { type: 'rpc', id: 1, direction: 'sideways', action: 'one', args: [] }],
    ['no direction', { type: 'rpc', id: 1, action: 'one', args: [] }],
    ['an action that is not a string', { type: 'rpc', id: 1, direction: 'request', action: ['one'], args: [] }],
    ['args that are not an array', { type: 'rpc', id: 1, direction: 'request', action: 'one', args: { 0: 1 } }],
    ['a success that is not a boolean', { type: 'rpc', id: 1, direction: 'response', success: 'yes', result: 1 }],
  ];
  for (const [what, payload] of malformed) {
    test(`a call frame with ${what} is an invalid-call error and closes the connection with 1002`, async () => {
      let ran = 0;
      const { open, errors } = await rawClientOf({ actions: { one: () => ++ran } });
      const { message, closed } = await open();
      message(payload);
      assert.equal(await closed, 1002);
      assert.deepEqual(errors, ['invalid-call']);
      assert.equal(ran, 0);
    });
  }
});

/** A raw WebSocket server that the client connects to; each connection's frames are recorded. */
async function rawServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  closers.push(() => new Promise((resolve) => wss.close(resolve)));
  const connections: Array<{ socket: WebSocket; received: Frame[]; closed: Promise<number> }> = [];
  wss.on('connection', (socket) => {
    const received: Frame[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    connections.push({ socket, received, closed: new Promise((resolve) => socket.once('close', resolve)) });
  });
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  return { url, connections };
}

function openClient(url: string, options: Parameters<typeof connect>[1] = {}): JugglerClient {
  const client = connect(url, { delay: 0, reconnect: { initialDelay: 10, maxDelay: 20 }, ...options });
  closers.push(() => client.close());
  return client;
}

const send = (socket: WebSocket, payload: JsonValue) => socket.send(JSON.stringify({ type: 'MESSAGE', payload }));

describe('the client and call frames', () => {
  test('numbers its calls from 1 again after a reconnect', async () => {
    const { url, connections } = await rawServer();
    const client = openClient(url);
    await until(() => client.status === 'open', 'open');
    const calls = [client.call('a'), client.call('b')];
    await until(() => connections[0].received.length === 2, 'the requests');
    assert.deepEqual(connections[0].received.map((f) => f.payload.id), [1, 2]);
    connections[0].socket.terminate();
    for (const call of calls) await assert.rejects(call, { code: 'connection-closed' });
    await until(() => client.status === 'open' && connections.length === 2, 'the reconnect');
    void client.call('c').catch(() => {});
    await until(() => connections[1].received.length === 1, 'the request');
    assert.equal(connections[1].received[0].payload.id, 1);
  });

  test('an answer finished after its connection ended is not sent on the next one', async () => {
    const { url, connections } = await rawServer();
    let finish!: (value: JsonValue) => void;
    const client = openClient(url, { actions: { slow: () => new Promise((resolve) => (finish = resolve)), quick: () => 'quick' } });
    await until(() => client.status === 'open', 'open');
    send(connections[0].socket, request(1, 'slow'));
    await until(() => finish !== undefined, 'the handler to start');
    connections[0].socket.terminate();
    await until(() => client.status === 'open' && connections.length === 2, 'the reconnect');
    finish('stale');
    send(connections[1].socket, request(1, 'quick'));
    await until(() => connections[1].received.some((f) => f.type === 'MESSAGE'), 'an answer');
    assert.deepEqual(connections[1].received.filter((f) => f.type === 'MESSAGE').map((f) => f.payload), [
      { type: 'rpc', id: 1, direction: 'response', success: true, result: 'quick' },
    ]);
  });

  test('a malformed call frame from the server is an invalid-call error; the client closes with 4002 (1002 as browsers may send it) and reconnects', async () => {
    const { url, connections } = await rawServer();
    const client = openClient(url);
    const errors: string[] = [];
    client.addEventListener('error', (e) => errors.push(e.code));
    await until(() => client.status === 'open', 'open');
    send(connections[0].socket, { type: 'rpc', id: 1, direction: 'request', action: 1 });
    assert.equal(await connections[0].closed, 4002);
    assert.deepEqual(errors, ['invalid-call']);
    await until(() => client.status === 'open' && connections.length === 2, 'the reconnect');
  });
});
