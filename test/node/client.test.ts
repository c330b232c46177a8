import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { JugglerClient, type ClientOptions } from '../../src/client/juggler-client.js';
import { Backoff } from '../../src/client/backoff.js';
import { browserCloseCode } from '../../src/client/default-url.js';
import type { JugglerStatusEvent } from '../../src/core/events.js';
import { JugglerError } from '../../src/core/errors.js';
import { FakeSocket } from '../support/fake-socket.js';

/** Lets the client's async connect step (resolving protocols and params) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function makeClient(options: ClientOptions = {}) {
  const client = new JugglerClient({
    url: 'ws://example.test/ws',
    delay: 0,
    createSocket: (url, protocols) => new FakeSocket(url, protocols),
    ...options,
  });
  const statuses: string[] = [];
  client.addEventListener('status', (e: JugglerStatusEvent) => statuses.push(e.status));
  return { client, statuses };
}

/** A client whose first socket has opened, with the codes of its error events. */
async function openClient(options: ClientOptions = {}) {
  const made = makeClient(options);
  const errors: string[] = [];
  made.client.addEventListener('error', (e) => errors.push(e.code));
  made.client.connect();
  await settle();
  FakeSocket.last.open();
  return { ...made, errors };
}

/** Drops the newest socket and advances fake time until the client makes another: returns the wait in ms. */
async function dropAndTimeTheRetry(): Promise<number> {
  const before = FakeSocket.made.length;
  FakeSocket.last.drop();
  let waited = 0;
  while (FakeSocket.made.length === before) {
    mock.timers.tick(10);
    waited += 10;
    await settle();
  }
  return waited;
}

beforeEach(() => {
  FakeSocket.made.length = 0;
  mock.timers.enable({ apis: ['setTimeout'] });
  mock.method(Math, 'random', () => 0);
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

describe('client status and reconnecting', () => {
  test('walks connecting → open → reconnecting → open → closed, with an event on each change', async () => {
    const { client, statuses } = makeClient();
    assert.equal(client.status, 'closed');
    client.connect();
    await settle();
    FakeSocket.last.open();
    FakeSocket.last.drop(1006);
    mock.timers.tick(500);
    await settle();
    FakeSocket.last.open();
    client.close();
    assert.deepEqual(statuses, ['connecting', 'open', 'reconnecting', 'open', 'closed']);
    assert.equal(FakeSocket.last.closedWith?.code, 1000);
  });

  test('waits longer after each failure, up to the cap, with jitter', async () => {
    const { client } = makeClient({ reconnect: { initialDelay: 100, maxDelay: 1000, jitter: 0.5 } });
    client.connect();
    await settle();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await dropAndTimeTheRetry());
    // Math.random() is 0 here, so each wait is its full ceiling: 100, 200, 400, 800, then the cap.
    assert.deepEqual(waits, [100, 200, 400, 800, 1000, 1000]);
    const jittered = new Backoff({ initialDelay: 1000, jitter: 0.5 }, () => 1);
    assert.equal(jittered.next(), 500);
  });

  test('the backoff starts again from the shortest wait only after a connection stayed up', async () => {
    const { client } = makeClient({ reconnect: { initialDelay: 100, stableAfter: 1000 } });
    client.connect();
    await settle();
    assert.equal(await dropAndTimeTheRetry(), 100);
    FakeSocket.last.open();
    mock.timers.tick(500);
    assert.equal(await dropAndTimeTheRetry(), 200, 'a short-lived connection does not reset the backoff');
    FakeSocket.last.open();
    mock.timers.tick(1000);
    assert.equal(await dropAndTimeTheRetry(), 100, 'a stable one does');
  });

  test('by default the wait grows from 500 ms to 5 s and no further', async () => {
    const { client } = makeClient();
    client.connect();
    await settle();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) waits.push(await dropAndTimeTheRetry());
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  test('by default a flapping server that serves 2 s each time is rejoined within the shortest wait', async () => {
    const { client } = makeClient();
    client.connect();
    await settle();
    assert.equal(await dropAndTimeTheRetry(), 500);
    for (let i = 0; i < 4; i++) {
      FakeSocket.last.open();
      mock.timers.tick(2000);
      assert.equal(await dropAndTimeTheRetry(), 500);
    }
  });

  test('reconnect: false stays closed after a loss', async () => {
    const { client, statuses } = makeClient({ reconnect: false });
    client.connect();
    await settle();
    FakeSocket.last.open();
    FakeSocket.last.drop();
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.made.length, 1);
    assert.deepEqual(statuses, ['connecting', 'open', 'closed']);
  });

  test('reconnect() drops the socket and connects again at once', async () => {
    const { client } = makeClient();
    client.connect();
    await settle();
    FakeSocket.last.open();
    const first = FakeSocket.last;
    client.reconnect();
    await settle();
    assert.equal(first.closedWith?.code, 1000);
    assert.equal(FakeSocket.made.length, 2);
    FakeSocket.last.open();
    assert.equal(client.status, 'open');
  });

  test('protocols and params are asked for afresh on every connect', async () => {
    let token = 0;
    const { client } = makeClient({
      protocols: () => ['juggler', `token.${++token}`],
      params: async () => ({ session: `s${token}` }),
    });
    client.connect();
    await settle();
    assert.deepEqual(FakeSocket.last.protocols, ['juggler', 'token.1']);
    assert.equal(FakeSocket.last.url, 'ws://example.test/ws?session=s1');
    FakeSocket.last.drop();
    mock.timers.tick(500);
    await settle();
    assert.deepEqual(FakeSocket.last.protocols, ['juggler', 'token.2']);
    assert.equal(FakeSocket.last.url, 'ws://example.test/ws?session=s2');
  });

  test('a bad URL is a typed error and a retry, not an exception', async () => {
    const { client } = makeClient({ url: 'not a url', createSocket: () => { throw new SyntaxError('invalid URL'); } });
    const errors: string[] = [];
    client.addEventListener('error', (e) => errors.push(e.code));
    client.connect();
    await settle();
    assert.deepEqual(errors, ['connect-failed']);
    assert.equal(client.status, 'connecting');
    client.close();
  });
});

describe('client: nothing is lost across a reconnect', () => {
  test('messages sent while disconnected are queued in order and go out after the local data', async () => {
    const { client } = makeClient();
    client.send(1);
    client.connect();
    client.send(2);
    client.setAt('/x', 1);
    await settle();
    FakeSocket.last.open();
    client.send(3);
    assert.deepEqual(FakeSocket.last.sent.map((f) => JSON.parse(f)), [
      { type: 'DATA', payload: [{ op: 'replace', path: '', value: { x: 1 } }] },
      { type: 'MESSAGE', payload: 1 },
      { type: 'MESSAGE', payload: 2 },
      { type: 'MESSAGE', payload: 3 },
    ]);
  });

  test('a full queue throws queue-full instead of dropping', () => {
    const { client } = makeClient({ maxQueuedMessages: 2 });
    client.send('a');
    client.send('b');
    assert.throws(() => client.send('c'), (e: unknown) => e instanceof JugglerError && e.code === 'queue-full');
    assert.equal(client.queuedMessages, 2);
  });

  test('a hostile frame closes the socket with a browser-legal code and the client retries', async () => {
    const { client, errors } = await openClient();
    FakeSocket.last.deliver('{"type": "DATA", "payload": [{"op": "add", "path": "/constructor/x", "value": 1}]}');
    assert.deepEqual(errors, ['patch-failed']);
    assert.equal(FakeSocket.last.closedWith?.code, 4007);
    assert.equal(client.status, 'reconnecting');
    mock.timers.tick(500);
    await settle();
    assert.equal(FakeSocket.made.length, 2);
  });

  test('a binary frame is refused', async () => {
    const { errors } = await openClient();
    FakeSocket.last.deliver(new ArrayBuffer(4));
    assert.deepEqual(errors, ['binary-frame']);
    assert.equal(FakeSocket.last.closedWith?.code, 4003);
  });

  test('browser close codes: 1000 and 3000–4999 pass, protocol codes move to 4xxx', () => {
    assert.deepEqual([1000, 1001, 1002, 1009, 3000, 4321].map(browserCloseCode), [1000, 4001, 4002, 4009, 3000, 4321]);
  });
});
