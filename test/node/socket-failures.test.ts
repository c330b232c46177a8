/**
 * What peers see when the other side fails below the protocol: refused
 * connections, HTTP answers, frozen servers, and frames that break the
 * WebSocket rules, each over real sockets on loopback.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import type { JugglerError } from '../../src/core/errors.js';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { frame, rawClient, rawServer, type RawServer } from '../support/raw-websocket.js';
import { nextEvent, until } from '../support/wait.js';

const servers: Array<JugglerServer | RawServer> = [];
const clients: JugglerClient[] = [];
after(async () => {
  for (const client of clients) client.close();
  await Promise.all(servers.map((server) => server.close()));
});

async function start(options: ListenOptions = {}): Promise<JugglerServer> {
  const server = await listen({ port: 0, ...options });
  servers.push(server);
  return server;
}

async function startRaw(afterUpgrade?: (socket: Socket) => void, port = 0): Promise<RawServer> {
  const server = await rawServer(afterUpgrade, port);
  servers.push(server);
  return server;
}

/** A Node client that retries quickly, with the errors it reported. */
function client(url: string, options: Parameters<typeof connect>[1] = {}) {
  const c = connect(url, { delay: 0, reconnect: { initialDelay: 20, maxDelay: 50 }, ...options });
  clients.push(c);
  const errors: JugglerError[] = [];
  c.addEventListener('error', (e: JugglerErrorEvent) => errors.push(e.error));
  return { client: c, errors };
}

/** Replaces whatever listened on `port` with a good Juggler server and waits for `c` to open on it. */
async function goodServerAppears(c: JugglerClient, port: number): Promise<void> {
  await start({ port });
  await until(() => c.status === 'open', 'the client to open on the good server');
}

describe('the Node client survives a server that', () => {
  test('refuses the connection, on the first attempt and on each retry, and opens once a server listens', async () => {
    const gone = await rawServer();
    const port = gone.port;
    await gone.close();
    const { client: c, errors } = client(`ws://127.0.0.1:${port}/ws`);
    await until(() => errors.length >= 2, 'a failed first attempt and a failed retry');
    assert.equal(errors[0].code, 'connect-failed');
    assert.match(errors[0].message, /connection refused/);
    assert.equal(c.status, 'connecting');
    await goodServerAppears(c, port);
  });

  test('went away after the connection opened: the retries fail, typed, until it is back', async () => {
    const first = await listen({ port: 0 });
    const port = first.port;
    const { client: c, errors } = client(first.url);
    await nextEvent(c, 'open');
    await first.close();
    await until(() => errors.some((e) => /connection refused/.test(e.message)), 'a refused retry');
    assert.equal(c.status, 'reconnecting');
    await goodServerAppears(c, port);
  });

  test('answers the upgrade with HTTP 404', async () => {
    const elsewhere = await start({ path: '/elsewhere' });
    const port = elsewhere.port;
    const { client: c, errors } = client(`ws://127.0.0.1:${port}/ws`);
    await until(() => errors.length >= 2, 'two refused attempts');
    assert.equal(errors[0].code, 'connect-failed');
    assert.match(errors[0].message, /HTTP 404/);
    await elsewhere.close();
    await goodServerAppears(c, port);
  });

  const badFrames: Array<[string, () => Buffer, string, number]> = [
    ['sends a text frame that is not UTF-8', () => frame(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])), 'invalid-json', 1007],
    ['sends a masked frame', () => frame('{"type":"MESSAGE","payload":1}', { mask: true }), 'invalid-frame', 1002],
    ['sends a frame over twice maxMessageSize', () => frame('x'.repeat(3000)), 'message-too-large', 1009],
  ];
  for (const [what, bytes, code, closeCode] of badFrames) {
    test(`${what}: a typed error, then a retry`, async () => {
      const bad = await startRaw((socket) => socket.write(bytes()));
      const { client: c, errors } = client(`ws://127.0.0.1:${bad.port}/ws`, { maxMessageSize: 1000 });
      await until(() => errors.length >= 1 && bad.accepted >= 2, 'an error and a second attempt');
      assert.equal(errors[0].code, code);
      assert.equal(errors[0].closeCode, closeCode);
      assert.notEqual(c.status, 'open');
      await bad.close();
      await goodServerAppears(c, bad.port);
    });
  }
});

describe('the handshake timeout', () => {
  test('a server that accepts TCP and never answers: the attempt is abandoned, typed, and retried', async () => {
    const frozen = await startRaw();
    const { client: c, errors } = client(`ws://127.0.0.1:${frozen.port}/ws`, { connectTimeout: 200 });
    await until(() => errors.length >= 1, 'the attempt to time out');
    assert.equal(errors[0].code, 'connect-failed');
    assert.match(errors[0].message, /no answer within 200 ms/);
    await until(() => frozen.accepted >= 2, 'a second attempt');
    assert.equal(c.status, 'connecting');
    await frozen.close();
    await goodServerAppears(c, frozen.port);
  });
});

describe('the server reports the close code ws sent for frames ws refuses', () => {
  const refused: Array<[string, Buffer, string, number]> = [
    ['a text frame that is not UTF-8', frame(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), { mask: true }), 'invalid-json', 1007],
    ['an unmasked frame from a client', frame('{"type":"MESSAGE","payload":1}'), 'invalid-frame', 1002],
    ['a reserved opcode', frame('{}', { opcode: 3, mask: true }), 'invalid-frame', 1002],
    ['a frame over maxMessageSize', frame('x'.repeat(2000), { mask: true }), 'message-too-large', 1009],
  ];
  for (const [what, bytes, code, closeCode] of refused) {
    test(what, async () => {
      const errors: JugglerError[] = [];
      const server = await start({
        maxMessageSize: 1000,
        onConnection: (peer) => peer.addEventListener('error', (e) => errors.push(e.error)),
      });
      const { socket, closeCode: onTheWire } = await rawClient(server.url);
      socket.write(bytes);
      const wire = await onTheWire;
      await until(() => errors.length === 1, 'the error event');
      assert.equal(wire, closeCode);
      assert.equal(errors[0].code, code);
      assert.equal(errors[0].closeCode, wire);
      socket.destroy();
    });
  }
});

describe('a peer of the hat-juggler 0.7 dialect', () => {
  test('is reported as such, once: the client closes instead of retrying', async () => {
    const hat07 = await startRaw((socket) => socket.write(frame('0{"type":"state","diff":[{"op":"replace","path":"","value":{}}]}')));
    const { client: c, errors } = client(`ws://127.0.0.1:${hat07.port}/ws`);
    await until(() => c.status === 'closed', 'the client to close');
    assert.deepEqual(errors.map((e) => e.code), ['unsupported-dialect']);
    assert.match(errors[0].message, /hat-juggler 0\.7 dialect \(a frame starting "0\{.*Juggler protocol of hat-juggler up to 0\.5/);
    assert.equal(errors[0].closeCode, 1002);
    // Nothing to await for a retry that must not come: wait four times the longest backoff.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(hat07.accepted, 1, 'no second attempt');
    assert.equal(c.status, 'closed');
  });

  test('a bare ping of that dialect is recognised too, and by the server as well', async () => {
    const errors: string[] = [];
    const server = await start({ onConnection: (peer) => peer.addEventListener('error', (e) => errors.push(e.code)) });
    const { socket, closeCode } = await rawClient(server.url);
    socket.write(frame('2', { mask: true }));
    assert.equal(await closeCode, 1002);
    assert.deepEqual(errors, ['unsupported-dialect']);
    socket.destroy();
  });
});
