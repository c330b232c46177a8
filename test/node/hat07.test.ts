/** The hat-0.7 dialect over real sockets: the Node server of the dialect and its Node client, and each against hostile peers. */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import { JugglerError } from '../../src/core/errors.js';
import type { JugglerChangeEvent, JugglerCloseEvent, JugglerErrorEvent } from '../../src/core/events.js';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { Hat07Client, Hat07Peer, type JugglerNotifyEvent } from '../../src/dialects/hat-0.7/index.js';
import { connect } from '../../src/node/connect.js';
import { listen, type ListenOptions } from '../../src/node/listen.js';
import { rejection as failure } from '../support/rejection.js';
import { nextEvent, until } from '../support/wait.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server of the dialect; `peers` are its connections, `errors` the codes they reported. */
async function start(options: ListenOptions = {}) {
  const peers: Hat07Peer[] = [];
  const errors: string[] = [];
  const shared = options.sharedState ?? new LocalState({ delay: 0 });
  const server = await listen({
    port: 0,
    dialect: 'hat-0.7',
    sharedState: shared,
    ...options,
    onConnection: (peer, request) => {
      assert.ok(peer instanceof Hat07Peer);
      options.onConnection?.(peer, request);
      peers.push(peer);
      peer.addEventListener('error', (e) => errors.push(e.code));
    },
  });
  closers.push(() => server.close());
  return { server, shared, peers, errors };
}

function client(url: string, options: Parameters<typeof connect>[1] = {}): Hat07Client {
  const made = connect(url, { dialect: 'hat-0.7', reconnect: { initialDelay: 20, maxDelay: 50 }, ...options });
  assert.ok(made instanceof Hat07Client);
  closers.push(() => made.close());
  return made;
}

async function openClient(url: string, options: Parameters<typeof connect>[1] = {}): Promise<Hat07Client> {
  const made = client(url, options);
  await until(() => made.status === 'open', 'the client to open');
  return made;
}

function errorsOf(target: JugglerPeer | JugglerClient): JugglerErrorEvent[] {
  const errors: JugglerErrorEvent[] = [];
  target.addEventListener('error', (e) => errors.push(e as JugglerErrorEvent));
  return errors;
}

/**
 * A WebSocket server that plays a peer by hand: it records every frame it
 * receives and sends what the test tells it to.
 */
async function handServer(onConnection: (socket: WebSocket) => void = () => {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const received: string[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => received.push(data.toString()));
    onConnection(socket);
  });
  closers.push(() => new Promise((resolve) => {
    for (const socket of wss.clients) socket.terminate();
    wss.close(resolve);
  }));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, received, sockets };
}

/** A raw WebSocket client of a server: what it receives, and how it closed. */
async function handClient(url: string) {
  const socket = new WebSocket(url);
  const received: string[] = [];
  socket.on('message', (data) => received.push(data.toString()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  closers.push(() => socket.terminate());
  return { socket, received, closed };
}

describe('state: the server’s shared state as the client’s remote data', () => {
  test('the first state replaces null, later ones patch it; change events as for DATA', async () => {
    const { server, shared } = await start();
    shared.replace({ count: 1, list: ['a'] });
    const made = client(server.url);
    const changes: JugglerChangeEvent[] = [];
    made.addEventListener('change', (e) => changes.push(e));
    await until(() => changes.length === 1, 'the first state');
    assert.deepEqual(made.remoteData, { count: 1, list: ['a'] });
    assert.deepEqual(changes[0].paths, ['']);
    shared.setAt('/count', 2);
    shared.insertAt('/list/-', 'b');
    await until(() => changes.length === 3, 'two patches');
    assert.deepEqual(made.remoteData, { count: 2, list: ['a', 'b'] });
    assert.deepEqual(changes[1].paths, ['/count']);
    assert.deepEqual(changes[2].paths, ['/list/1']);
  });

  test('the wire carries lower-case state messages with a diff, each in a 0 segment', async () => {
    const { server, shared } = await start();
    shared.replace({ on: true });
    const hand = await handClient(server.url);
    await until(() => hand.received.length === 1, 'the first frame');
    shared.setAt('/on', false);
    await until(() => hand.received.length === 2, 'the patch');
    assert.equal(hand.received[0][0], '0');
    assert.deepEqual(JSON.parse(hand.received[0].slice(1)), { type: 'state', diff: [{ op: 'replace', path: '', value: { on: true } }] });
    assert.deepEqual(JSON.parse(hand.received[1].slice(1)), { type: 'state', diff: [{ op: 'add', path: '/on', value: false }] });
  });

  test('a state of megabytes, with characters of two and four bytes, crosses in 64 KiB segments', async () => {
    const { server, shared } = await start({ maxMessageSize: 16 * 1024 * 1024 });
    const big = { text: `${'é'.repeat(300_000)}${'😀'.repeat(300_000)}x`, odd: `a${'😀'.repeat(100_000)}` };
    const hand = await handClient(server.url);
    const made = await openClient(server.url, { maxMessageSize: 16 * 1024 * 1024 });
    const changed = nextEvent(made, 'change');
    shared.replace(big);
    await changed;
    assert.deepEqual(made.remoteData, big);
    await until(() => hand.received.length > 0 && hand.received.at(-1)![0] === '0', 'the last segment');
    const units = hand.received.reduce((total, frame) => total + frame.length - 1, 0);
    assert.equal(hand.received.length, Math.ceil(units / 65536), 'as few segments as 64 KiB allow');
    assert.ok(hand.received.every((frame) => frame.length <= 65537 && isWellFormed(frame)));
  });

  test('a shared state goes to every client, each in its own segments', async () => {
    const { server, shared } = await start();
    const [one, two] = await Promise.all([openClient(server.url), openClient(server.url)]);
    shared.replace({ big: 'x'.repeat(200_000) });
    await until(() => (one.remoteData as { big?: string } | null)?.big?.length === 200_000 && (two.remoteData as { big?: string } | null)?.big?.length === 200_000, 'both clients to have it');
  });
});

describe('requests and responses', () => {
  test('call(name, [data]) carries data to the handler and resolves with its result; failures reject', async () => {
    const { server } = await start({
      actions: {
        sum: (data) => (data as number[]).reduce((a, b) => a + b, 0),
        later: (data) => new Promise((resolve) => setTimeout(() => resolve(data), 10)),
        fail: () => {
          throw new Error('no such thing');
        },
      },
    });
    const made = await openClient(server.url);
    assert.equal(await made.call('sum', [[1, 2, 3]]), 6);
    assert.deepEqual(await made.call('later', [{ a: 'é' }]), { a: 'é' });
    const failed = await failure(made.call('fail', [null]));
    assert.equal(failed.code, 'call-failed');
    assert.equal(failed.message, 'no such thing');
    const unknown = await failure(made.call('nope'));
    assert.equal(unknown.code, 'call-failed');
    assert.match(unknown.message, /unknown request "nope"/);
    assert.equal((await failure(made.call('sum', [1, 2]))).code, 'invalid-value', 'a request carries one value');
    assert.equal(made.pendingCalls, 0);
  });

  test('handle() on a server peer answers, with the request’s data as its one argument', async () => {
    const { server } = await start({ onConnection: (peer) => peer.handle('echo', (...args) => args) });
    const made = await openClient(server.url);
    assert.deepEqual(await made.call('echo', [{ x: 1 }]), [{ x: 1 }]);
    assert.deepEqual(await made.call('echo'), [null]);
  });

  test('ids count up from 1 per connection; a request is lower case with name and data', async () => {
    const hand = await handServer((socket) => {
      socket.on('message', (data) => {
        const request = JSON.parse(data.toString().slice(1)) as { id: number; data: JsonValue };
        socket.send(`0${JSON.stringify({ type: 'response', id: request.id, success: true, data: request.data })}`);
      });
    });
    const made = await openClient(hand.url);
    assert.equal(await made.call('a', [1]), 1);
    assert.equal(await made.call('b', [2]), 2);
    made.reconnect();
    await until(() => made.status === 'open' && hand.sockets.length === 2, 'the second connection');
    assert.equal(await made.call('c'), null);
    assert.deepEqual(
      hand.received.map((frame) => JSON.parse(frame.slice(1))),
      [
        { type: 'request', id: 1, name: 'a', data: 1 },
        { type: 'request', id: 2, name: 'b', data: 2 },
        { type: 'request', id: 1, name: 'c', data: null },
      ],
    );
  });

  test('a call made while disconnected goes out when the connection opens; one waiting fails when it closes', async () => {
    const { server } = await start({ actions: { hang: () => new Promise(() => {}), id: (data) => data } });
    const made = client(server.url);
    const early = made.call('id', ['early']);
    assert.equal(await early, 'early');
    const waiting = made.call('hang');
    await until(() => made.pendingCalls === 1, 'the call to wait');
    made.reconnect();
    assert.equal((await failure(waiting)).code, 'connection-closed');
  });

  test('the empty name is a barrier: answered with its data after the state changes queued before it', async () => {
    const shared = new LocalState({ delay: 300 });
    const { server } = await start({ sharedState: shared });
    shared.replace({ step: 0 });
    const made = await openClient(server.url);
    await until(() => made.remoteData !== null, 'the first state');
    shared.setAt('/step', 1);
    assert.equal(await made.call('', ['token']), 'token');
    assert.deepEqual(made.remoteData, { step: 1 });
  });

  test('barriers do not force the state out: other clients still get one change per delay', async () => {
    const shared = new LocalState({ delay: 200 });
    const { server } = await start({ sharedState: shared });
    shared.replace({ n: 0 });
    const observer = await openClient(server.url);
    const attacker = await openClient(server.url);
    await until(() => observer.remoteData !== null && attacker.remoteData !== null, 'the first state');
    let changes = 0;
    observer.addEventListener('change', () => changes++);
    let n = 0;
    const writer = setInterval(() => shared.setAt('/n', ++n), 2);
    const barriers: Array<Promise<unknown>> = [];
    const started = Date.now();
    while (Date.now() - started < 1000) {
      for (let i = 0; i < 20; i++) barriers.push(attacker.call('', [i]));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    clearInterval(writer);
    await Promise.all(barriers);
    // About one change per 200 ms delay (a flush per barrier would be hundreds).
    assert.ok(changes <= 10, `the observer got ${changes} changes in about a second`);
  });

  test('a server cannot call its client, nor a client answer calls', async () => {
    const { server, peers } = await start();
    const made = await openClient(server.url);
    await until(() => peers.length === 1, 'the server peer');
    assert.equal((await failure(peers[0].call('x'))).code, 'not-supported');
    assert.throws(() => made.handle('x', () => 1), (error: JugglerError) => error.code === 'not-supported');
  });

  test('a response to an id not waiting is reported and the connection stays open', async () => {
    const hand = await handServer((socket) => socket.send('0{"type":"response","id":41,"success":true,"data":null}'));
    const made = client(hand.url);
    const errors = errorsOf(made);
    await until(() => errors.length === 1, 'the error');
    assert.equal(errors[0].code, 'unknown-call');
    assert.match(errors[0].message, /request 41/);
    assert.equal(made.status, 'open');
  });
});

describe('notify', () => {
  test('peer.notify(name, data) fires notify with name and data on the client', async () => {
    const { server, peers } = await start();
    const made = await openClient(server.url);
    await until(() => peers.length === 1, 'the server peer');
    const notified = nextEvent<JugglerNotifyEvent>(made, 'notify');
    peers[0].notify('alarm', { level: 3, text: 'ü' });
    const event = await notified;
    assert.equal(event.name, 'alarm');
    assert.deepEqual(event.data, { level: 3, text: 'ü' });
  });

  test('send() has no place in the dialect: it throws on both sides, as notify() without a connection does', async () => {
    const { server, peers } = await start();
    const made = await openClient(server.url);
    await until(() => peers.length === 1, 'the server peer');
    assert.throws(() => made.send({}), (error: JugglerError) => error.code === 'not-supported');
    assert.throws(() => peers[0].send({}), (error: JugglerError) => error.code === 'not-supported');
    made.close();
    await until(() => !peers[0].isOpen, 'the server to see the close');
    assert.throws(() => peers[0].notify('x'), (error: JugglerError) => error.code === 'not-open');
  });
});

describe('a client has no local data', () => {
  test('every write throws not-supported naming the dialect, and nothing is sent', async () => {
    const hand = await handServer();
    const made = await openClient(hand.url);
    const writes: Array<() => void> = [
      () => made.setAt('/a', 1),
      () => made.insertAt('/list/-', 1),
      () => made.removeAt('/a'),
      () => (made.localData = { a: 1 }),
      () => (made.localState = new LocalState()),
    ];
    for (const write of writes) {
      assert.throws(write, (error: JugglerError) => error.code === 'not-supported' && /hat-0\.7 dialect has no local data/.test(error.message));
    }
    assert.equal(made.localData, null);
    void made.call('', [], { timeout: 0 }).catch(() => {});
    await until(() => hand.received.length === 1, 'the request');
    assert.deepEqual(hand.received.map((frame) => JSON.parse(frame.slice(1)).type), ['request'], 'only the request went out');
  });
});

describe('hostile frames to the client', () => {
  const cases: Array<[string, string[], string, number]> = [
    ['an unknown segment prefix', ['7{}'], 'invalid-message', 1002],
    ['invalid JSON once joined', ['1{"type":"state",', '0"diff":]'], 'invalid-json', 1007],
    ['a request, which only a server takes', ['0{"type":"request","id":1,"name":"x","data":null}'], 'unknown-type', 1002],
    ['an unknown type', ['0{"type":"STATE","diff":[]}'], 'unknown-type', 1002],
    ['a state without a diff', ['0{"type":"state"}'], 'invalid-message', 1002],
    ['a patch that fails', ['0{"type":"state","diff":[{"op":"remove","path":"/nothing"}]}'], 'patch-failed', 1007],
    ['a notify without a name', ['0{"type":"notify","data":1}'], 'invalid-message', 1002],
    ['a response with a bad id', ['0{"type":"response","id":"1","success":true,"data":1}'], 'invalid-call', 1002],
    ['segments past maxMessageSize', ['1' + 'x'.repeat(600), '1' + 'x'.repeat(600)], 'message-too-large', 1009],
  ];
  for (const [what, frames, code, closeCode] of cases) {
    test(`${what}: ${code}, closed with ${closeCode}`, async () => {
      const hand = await handServer((socket) => {
        for (const frame of frames) socket.send(frame);
      });
      const made = client(hand.url, { maxMessageSize: 1000, reconnect: false });
      const errors = errorsOf(made);
      const closed = nextEvent<JugglerCloseEvent>(made, 'close');
      assert.equal((await closed).code, closeCode);
      assert.deepEqual(errors.map((e) => e.code), [code]);
      assert.equal(made.remoteData, null);
    });
  }

  test('a server of the older protocol: unsupported-dialect naming what it sent, and the client stays closed', async () => {
    const { server } = await (async () => {
      const shared = new LocalState({ data: { x: 1 } });
      const plain = await listen({ port: 0, sharedState: shared });
      closers.push(() => plain.close());
      return { server: plain };
    })();
    const made = client(server.url);
    const errors = errorsOf(made);
    await until(() => made.status === 'closed', 'the client to give up');
    assert.deepEqual(errors.map((e) => e.code), ['unsupported-dialect']);
    assert.match(errors[0].message, /hat-juggler up to 0\.5 \(a JSON object with no segment prefix: "\{\\"type\\":\\"DATA/);
  });

  test('and a client of the older protocol meeting this server is told the same from its side', async () => {
    const { server, shared } = await start();
    shared.replace({ x: 1 });
    const plain = connect(server.url, { reconnect: false });
    closers.push(() => plain.close());
    const errors = errorsOf(plain);
    await until(() => plain.status === 'closed', 'the older client to give up');
    assert.deepEqual(errors.map((e) => e.code), ['unsupported-dialect']);
    assert.match(errors[0].message, /hat-juggler 0\.7 dialect/);
  });
});

describe('hostile frames to the server', () => {
  test('any client message but a request closes the connection (unknown-type, 1002)', async () => {
    for (const message of ['{"type":"state","diff":[]}', '{"type":"response","id":1,"success":true,"data":1}', '{"type":"notify","name":"x"}']) {
      const { server, errors } = await start();
      const hand = await handClient(server.url);
      hand.socket.send(`0${message}`);
      assert.equal((await hand.closed).code, 1002);
      assert.deepEqual(errors, ['unknown-type']);
    }
  });

  test('a frame of the older protocol: unsupported-dialect; a ping is answered with its text', async () => {
    const { server, errors } = await start();
    const hand = await handClient(server.url);
    hand.socket.send('2hello');
    await until(() => hand.received.includes('3hello'), 'the pong');
    hand.socket.send('{"type":"MESSAGE","payload":1}');
    const closed = await hand.closed;
    assert.equal(closed.code, 1002);
    assert.match(closed.reason, /hat-juggler up to 0\.5/);
    assert.deepEqual(errors, ['unsupported-dialect']);
  });

  test('a request of the wrong shape: invalid-call', async () => {
    const { server, errors } = await start();
    const hand = await handClient(server.url);
    hand.socket.send('0{"type":"request","id":1,"name":5,"data":null}');
    assert.equal((await hand.closed).code, 1002);
    assert.deepEqual(errors, ['invalid-call']);
  });

  test('an unknown dialect is refused before anything listens', async () => {
    await assert.rejects(listen({ port: 0, dialect: 'hat-0.9' as 'hat-0.7' }), (error: JugglerError) => error.code === 'unsupported-dialect');
    assert.throws(() => connect('ws://127.0.0.1:1', { dialect: 'hat-0.9' as 'hat-0.7' }), (error: JugglerError) => error.code === 'unsupported-dialect');
  });
});

describe('keep-alive', () => {
  test('after pingInterval of silence the client pings; with no frame back within pingTimeout it closes', async () => {
    const hand = await handServer();
    const made = client(hand.url, { pingInterval: 50, pingTimeout: 50, reconnect: false });
    const errors = errorsOf(made);
    await nextEvent(made, 'close');
    assert.deepEqual(hand.received, ['2']);
    assert.deepEqual(errors.map((e) => e.code), ['ping-timeout']);
  });

  test('a peer that answers pings keeps the connection', async () => {
    const hand = await handServer((socket) => socket.on('message', (data) => data.toString() === '2' && socket.send('3')));
    const made = await openClient(hand.url, { pingInterval: 20, pingTimeout: 40 });
    await until(() => hand.received.filter((frame) => frame === '2').length >= 4, 'several pings');
    assert.equal(made.status, 'open');
  });

  test('the server pings a silent client too, and closes it when it never answers', async () => {
    const { server, errors } = await start({ pingInterval: 30, pingTimeout: 30 });
    // A raw ws client answers WebSocket pings, not the dialect's: it stays silent.
    const hand = await handClient(server.url);
    const closed = await hand.closed;
    assert.ok(hand.received.includes('2'));
    assert.equal(closed.code, 1001);
    assert.deepEqual(errors, ['ping-timeout']);
  });
});

/** No lone surrogate (String.prototype.isWellFormed, which the type library here does not know yet). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
