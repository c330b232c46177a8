/** Calls with answers in both directions, between the Node server and the client over real sockets. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, afterEach, describe, mock, test } from 'node:test';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import type { JugglerErrorEvent, JugglerMessageEvent } from '../../src/core/events.js';
import type { JsonValue } from '../../src/core/json.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { rejection as failure } from '../support/rejection.js';
import { until } from '../support/wait.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  mock.timers.reset();
  for (const close of closers.splice(0).reverse()) await close();
});
after(() => mock.timers.reset());

async function start(options: ListenOptions = {}): Promise<{ server: JugglerServer; peers: JugglerPeer[]; errors: string[] }> {
  const peers: JugglerPeer[] = [];
  const errors: string[] = [];
  const server = await listen({
    port: 0,
    delay: 0,
    ...options,
    onConnection: (peer) => {
      peers.push(peer);
      peer.addEventListener('error', (e) => errors.push(e.code));
    },
  });
  closers.push(() => server.close());
  return { server, peers, errors };
}

function client(url: string, options: Parameters<typeof connect>[1] = {}): JugglerClient {
  const made = connect(url, { delay: 0, reconnect: { initialDelay: 20, maxDelay: 50 }, ...options });
  closers.push(() => made.close());
  return made;
}

async function openClient(url: string, options: Parameters<typeof connect>[1] = {}): Promise<JugglerClient> {
  const made = client(url, options);
  await until(() => made.status === 'open', 'the client to open');
  return made;
}

/** A promise with its resolve and reject at hand. */
function deferred<T = JsonValue>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

describe('calls', () => {
  test('the client calls an action every connection of the server answers', async () => {
    const { server } = await start({ actions: { add: (a, b) => (a as number) + (b as number), echo: (...args) => args } });
    const first = await openClient(server.url);
    const second = await openClient(server.url);
    assert.equal(await first.call('add', [2, 3]), 5);
    assert.deepEqual(await second.call('echo', ['é', { a: [null] }]), ['é', { a: [null] }]);
    assert.deepEqual(await second.call('echo'), []);
    const notAnArray = await failure(second.call('echo', 5 as never));
    assert.equal(notAnArray.code, 'invalid-value');
    assert.deepEqual(await second.call('echo', [{ timeout: 1 }]), [{ timeout: 1 }], 'an object argument is an argument');
  });

  test('the server calls the client, which answers from its options and from handle()', async () => {
    const { server, peers } = await start();
    const page = await openClient(server.url, { actions: { title: () => 'dashboard' } });
    const stop = page.handle('double', async (n) => (n as number) * 2);
    await until(() => peers.length === 1, 'the connection');
    assert.equal(await peers[0].call('title'), 'dashboard');
    assert.equal(await peers[0].call('double', [21]), 42);
    stop();
    assert.equal((await failure(peers[0].call('double', [1]))).message, 'unknown action "double"');
  });

  test('a handler that throws, or rejects, answers with a failure carrying its message', async () => {
    const { server } = await start({
      actions: {
        sync: () => {
          throw new Error('no such valve');
        },
        async: async () => {
          throw new Error('pump is off');
        },
        text: () => Promise.reject('plain text'),
      },
    });
    const page = await openClient(server.url);
    const sync = await failure(page.call('sync'));
    assert.equal(sync.code, 'call-failed');
    assert.equal(sync.message, 'no such valve');
    assert.equal((await failure(page.call('async'))).message, 'pump is off');
    assert.equal((await failure(page.call('text'))).message, 'plain text');
    assert.equal(page.status, 'open');
  });

  test('an unknown action answers with a failure; names of Object.prototype are unknown too', async () => {
    const { server } = await start({ actions: { known: () => 1 } });
    const page = await openClient(server.url);
    for (const name of ['nothing', 'constructor', '__proto__', 'toString']) {
      const error = await failure(page.call(name));
      assert.equal(error.code, 'call-failed');
      assert.equal(error.message, `unknown action ${JSON.stringify(name)}`);
    }
  });

  test('call frames never reach message listeners; other MESSAGEs still do, in order', async () => {
    const { server, peers } = await start({ actions: { ping: () => 'pong' } });
    const page = await openClient(server.url, { actions: { hello: () => 'hi' } });
    await until(() => peers.length === 1, 'the connection');
    const heard: JsonValue[] = [];
    const pageHeard: JsonValue[] = [];
    peers[0].addEventListener('message', (e: JugglerMessageEvent) => heard.push(e.payload));
    page.addEventListener('message', (e: JugglerMessageEvent) => pageHeard.push(e.payload));
    page.send({ type: 'note', id: 1 });
    assert.equal(await page.call('ping'), 'pong');
    assert.equal(await peers[0].call('hello'), 'hi');
    page.send('after');
    await until(() => heard.length === 2, 'the messages');
    assert.deepEqual(heard, [{ type: 'note', id: 1 }, 'after']);
    assert.deepEqual(pageHeard, []);
  });

  test('100 calls in flight, answered out of order after random delays, each get their own result', async () => {
    const { server } = await start({
      actions: { slow: (n) => new Promise((resolve) => setTimeout(() => resolve((n as number) * 10), Math.random() * 50)) },
    });
    const page = await openClient(server.url);
    const order: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        page.call('slow', [n]).then((result) => {
          order.push(n);
          return result;
        }),
      ),
    );
    assert.deepEqual(results, Array.from({ length: 100 }, (_, n) => n * 10));
    assert.notDeepEqual(order, [...order].sort((a, b) => a - b), 'answered out of order');
    assert.equal(page.pendingCalls, 0);
  });

  test('past maxConcurrentCalls running handlers, a request is answered "busy" and the server reports it', async () => {
    const gate = deferred();
    const { server, errors } = await start({ maxConcurrentCalls: 2, actions: { wait: () => gate.promise, quick: () => 'done' } });
    const page = await openClient(server.url);
    const running = [page.call('wait'), page.call('wait')];
    const busy = await failure(page.call('wait'));
    assert.equal(busy.code, 'call-failed');
    assert.equal(busy.message, 'busy');
    assert.deepEqual(errors, ['calls-busy']);
    gate.resolve('opened');
    assert.deepEqual(await Promise.all(running), ['opened', 'opened']);
    assert.equal(await page.call('wait'), 'opened', 'room again once they finished');
    assert.equal(page.status, 'open');
  });

  test('past maxPendingCalls waiting, call() rejects at once with too-many-calls and sends nothing', async () => {
    let asked = 0;
    const { server } = await start({ actions: { hang: () => ((asked++), new Promise(() => {})) } });
    const page = await openClient(server.url, { maxPendingCalls: 2 });
    void page.call('hang').catch(() => {});
    void page.call('hang').catch(() => {});
    const error = await failure(page.call('hang'));
    assert.equal(error.code, 'too-many-calls');
    await until(() => asked === 2, 'the two calls to arrive');
    assert.equal(page.pendingCalls, 2);
  });

  test('a call without an answer times out (30 s by default, or its own timeout); the late answer is reported, not fatal', async () => {
    const late = deferred();
    const { server } = await start({ actions: { hang: () => new Promise(() => {}), late: () => late.promise } });
    const page = await openClient(server.url);
    // Only the calls' timers are fake: the sockets (and the waits for them) run on real time.
    mock.timers.enable({ apis: ['setTimeout'] });

    const byDefault = page.call('hang');
    const own = page.call('late', [], { timeout: 1000 });
    let settled = false;
    void byDefault.catch(() => (settled = true));
    mock.timers.tick(1000);
    const error = await failure(own);
    assert.equal(error.code, 'call-timeout');
    assert.equal(error.message, 'no answer to "late" within 1000 ms');
    mock.timers.tick(28_999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the default timeout has not run out yet');
    mock.timers.tick(1);
    assert.equal((await failure(byDefault)).code, 'call-timeout');

    const reported = new Promise<JugglerErrorEvent>((resolve) => page.addEventListener('error', resolve, { once: true }));
    late.resolve('too late');
    assert.equal((await reported).code, 'unknown-call');
    assert.equal(await page.call('late'), 'too late', 'the connection is still open');
  });

  test('an AbortSignal gives up on a call; an aborted signal sends nothing', async () => {
    let asked = 0;
    const { server } = await start({ actions: { hang: () => ((asked++), new Promise(() => {})), one: () => 1 } });
    const page = await openClient(server.url);
    const controller = new AbortController();
    const call = page.call('hang', [], { signal: controller.signal });
    await until(() => asked === 1, 'the call to arrive');
    controller.abort();
    const error = await failure(call);
    assert.equal(error.code, 'aborted');
    assert.equal(page.pendingCalls, 0);
    assert.equal((await failure(page.call('hang', [], { signal: controller.signal }))).code, 'aborted');
    assert.equal(await page.call('one'), 1);
    assert.equal(asked, 1, 'the aborted signal sent nothing');
  });

  test('calls pending when the server process is killed reject with connection-closed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/call-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    closers.push(() => child.kill('SIGKILL'));
    const url = await new Promise<string>((resolve) => child.stdout!.once('data', (chunk) => resolve(String(chunk).trim())));
    const page = await openClient(url);
    const calls = [page.call('hang'), page.call('hang', [1])];
    // A round trip proves both requests reached the server before it dies.
    assert.equal((await failure(page.call('nothing'))).code, 'call-failed');
    child.kill('SIGKILL');
    for (const call of calls) {
      const error = await failure(call);
      assert.equal(error.code, 'connection-closed');
    }
    assert.equal(page.pendingCalls, 0);
  });

  test('calls pending on the server reject when the page goes away; a peer without a connection rejects with not-open', async () => {
    const { server, peers } = await start();
    const page = await openClient(server.url, { actions: { hang: () => new Promise(() => {}) } });
    await until(() => peers.length === 1, 'the connection');
    const call = peers[0].call('hang');
    page.close();
    assert.equal((await failure(call)).code, 'connection-closed');
    assert.equal((await failure(peers[0].call('hang'))).code, 'not-open');
  });

  test('a call made while disconnected is queued and goes out when the connection opens', async () => {
    const { server } = await start({ actions: { add: (a, b) => (a as number) + (b as number) } });
    const page = client(server.url);
    assert.notEqual(page.status, 'open');
    const call = page.call('add', [40, 2]);
    assert.equal(page.queuedMessages, 1);
    assert.equal(await call, 42);
  });

  test('a queued call that times out or is aborted is taken back and never sent', async () => {
    let asked = 0;
    const { server } = await start({ actions: { count: () => ++asked } });
    const { url, port } = server;
    await server.close();
    const page = client(url);
    const controller = new AbortController();
    const aborted = page.call('count', [], { signal: controller.signal });
    const timedOut = page.call('count', [], { timeout: 1 });
    assert.equal(page.queuedMessages, 2);
    controller.abort();
    assert.equal((await failure(aborted)).code, 'aborted');
    assert.equal((await failure(timedOut)).code, 'call-timeout');
    assert.equal(page.queuedMessages, 0);
    const { server: again } = await start({ port, actions: { count: () => ++asked } });
    assert.equal(await page.call('count'), 1, 'only this call reached the server');
    assert.equal(again.peers.size, 1);
  });
});

describe('a connection listener', () => {
  test('can send, call and hear open before anything else reaches the page, as the README shows', async () => {
    const { server } = await start();
    const heard: string[] = [];
    let answer: JsonValue | undefined;
    server.addEventListener('connection', async ({ peer }) => {
      peer.addEventListener('open', () => heard.push('open'));
      peer.send({ hello: 'page' });
      answer = await peer.call('version');
    });
    const messages: JsonValue[] = [];
    const page = client(server.url, { actions: { version: () => '1.2.3' } });
    page.addEventListener('message', (event: JugglerMessageEvent) => messages.push(event.payload));
    await until(() => answer !== undefined, 'the answer to the call made in the connection listener');
    assert.equal(answer, '1.2.3');
    assert.deepEqual(messages, [{ hello: 'page' }]);
    assert.deepEqual(heard, ['open'], 'open fires after the connection listeners, so they hear it');
  });
});
