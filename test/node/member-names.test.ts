/**
 * Keys that name JavaScript internals (`constructor`, `prototype`, `__proto__`)
 * and the key `-` are a peer's data like any other: they sync both ways over
 * real sockets, at every depth and with every operation, and no patch reaches a
 * prototype on the way.
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, describe, test } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import type { JsonValue } from '../../src/core/json.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { connect } from '../../src/node/connect.js';
import { listen } from '../../src/node/listen.js';
import { rawSocket } from '../support/raw-socket.js';
import { nextEvent, until } from '../support/wait.js';

const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

const names = ['constructor', 'prototype', '__proto__', '-'];
const prototypeMembers = Object.getOwnPropertyNames(Object.prototype);

/** JSON text with `$K` standing for the key under test, parsed as a peer would (own members only). */
const json = (text: string, key: string): JsonValue => JSON.parse(text.replaceAll('$K', key));

/**
 * Patches using the key at the root, nested, inside arrays, as the last token
 * and in the middle of a path, with every operation; and the document after each.
 */
function script(key: string): Array<{ patch: unknown[]; after: JsonValue }> {
  const at = (text: string) => json(text, key);
  const path = (pointer: string) => pointer.replaceAll('$K', key);
  const steps: Array<[unknown[], string]> = [
    [[{ op: 'replace', path: '', value: at('{"$K":{"$K":1},"list":[{"$K":1}]}') }], '{"$K":{"$K":1},"list":[{"$K":1}]}'],
    [[{ op: 'add', path: path('/$K'), value: at('{"$K":2,"x":{"$K":[0]}}') }], '{"$K":{"$K":2,"x":{"$K":[0]}},"list":[{"$K":1}]}'],
    [[{ op: 'replace', path: path('/$K/$K'), value: 3 }], '{"$K":{"$K":3,"x":{"$K":[0]}},"list":[{"$K":1}]}'],
    [
      [
        { op: 'add', path: path('/$K/x/$K/-'), value: 1 },
        { op: 'replace', path: path('/list/0/$K'), value: at('{"$K":true}') },
      ],
      '{"$K":{"$K":3,"x":{"$K":[0,1]}},"list":[{"$K":{"$K":true}}]}',
    ],
    [
      [
        { op: 'test', path: path('/$K/$K'), value: 3 },
        { op: 'test', path: path('/list/0/$K/$K'), value: true },
        { op: 'test', path: path('/$K/x'), value: at('{"$K":[0,1]}') },
      ],
      '{"$K":{"$K":3,"x":{"$K":[0,1]}},"list":[{"$K":{"$K":true}}]}',
    ],
    [
      [
        { op: 'copy', from: path('/$K/x'), path: '/list/-' },
        { op: 'copy', from: path('/list/0/$K'), path: '/copied' },
      ],
      '{"$K":{"$K":3,"x":{"$K":[0,1]}},"list":[{"$K":{"$K":true}},{"$K":[0,1]}],"copied":{"$K":true}}',
    ],
    [
      [
        { op: 'move', from: path('/$K/$K'), path: '/moved' },
        { op: 'move', from: '/copied', path: path('/$K/$K') },
        { op: 'move', from: path('/list/1/$K/1'), path: path('/$K/x/$K/0') },
      ],
      '{"$K":{"x":{"$K":[1,0,1]},"$K":{"$K":true}},"list":[{"$K":{"$K":true}},{"$K":[0]}],"moved":3}',
    ],
    [
      [
        { op: 'remove', path: path('/list/1/$K') },
        { op: 'remove', path: path('/$K/$K/$K') },
        { op: 'remove', path: path('/$K') },
      ],
      '{"list":[{"$K":{"$K":true}},{}],"moved":3}',
    ],
  ];
  return steps.map(([patch, text]) => ({ patch, after: at(text) }));
}

/** Every object in `value` still has the ordinary prototype, and nothing was added to it. */
function assertNoPrototypeReached(value: JsonValue): void {
  const check = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (!Array.isArray(node)) assert.equal(Object.getPrototypeOf(node), Object.prototype);
    for (const child of Object.values(node)) check(child);
  };
  check(value);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeMembers);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
}

/** A server peer fed by a plain socket, and a `connect()` client fed by a plain server. */
async function receivers(): Promise<Array<{ who: string; peer: JugglerPeer; send: (frame: string) => void }>> {
  const peers: JugglerPeer[] = [];
  const server = await listen({ port: 0, delay: 0, onConnection: (peer) => peers.push(peer) });
  closers.push(() => server.close());
  const toServer = await rawSocket(server.url);
  closers.push(() => toServer.close());
  await until(() => peers.length === 1, 'the server to accept');

  const plain = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  closers.push(() => new Promise((resolve) => plain.close(resolve)));
  await new Promise((resolve) => plain.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => plain.once('connection', resolve));
  const client = connect(`ws://127.0.0.1:${(plain.address() as { port: number }).port}`, { delay: 0 });
  closers.push(() => client.close());
  const toClient = await accepted;
  await nextEvent(client, 'open');

  return [
    { who: 'the Node server', peer: peers[0], send: (frame) => toServer.send(frame) },
    { who: 'the Node client', peer: client, send: (frame) => toClient.send(frame) },
  ];
}

describe('keys named constructor, prototype, __proto__ and -', () => {
  test('every operation applies at every depth, received by the server and by the client', async () => {
    for (const { who, peer, send } of await receivers()) {
      const errors: string[] = [];
      peer.addEventListener('error', (event) => errors.push(event.code));
      for (const key of names) {
        for (const { patch, after: expected } of script(key)) {
          const changed = nextEvent(peer, 'change');
          send(JSON.stringify({ type: 'DATA', payload: patch }));
          await changed;
          assert.deepEqual(errors, [], `${who}, key ${key}: ${JSON.stringify(patch)}`);
          assert.deepStrictEqual(peer.remoteData, expected, `${who}, key ${key}: ${JSON.stringify(patch)}`);
        }
        assertNoPrototypeReached(peer.remoteData);
      }
    }
  });

  test('what each peer writes reaches the other, both ways', async () => {
    const peers: JugglerPeer[] = [];
    const server = await listen({ port: 0, delay: 0, onConnection: (peer) => peers.push(peer) });
    closers.push(() => server.close());
    const client = connect(server.url, { delay: 0 });
    closers.push(() => client.close());
    await nextEvent(client, 'open');
    await until(() => peers.length === 1, 'the server to accept');

    for (const [writer, reader] of [
      [peers[0], client],
      [client, peers[0]],
    ] as const) {
      for (const key of names) {
        const path = (pointer: string) => pointer.replaceAll('$K', key);
        const synced = (what: string) => until(() => isDeepStrictEqual(reader.remoteData, writer.localData), `${what} with key ${key} to arrive`);
        writer.localData = null;
        await synced('a reset');
        writer.setAt(path('/$K/x'), 1);
        await synced('the first member, made from null');
        writer.setAt(path('/$K/x'), 2);
        await synced('a member set again');
        writer.setAt(path('/$K/$K/$K'), { [key]: [key] });
        await synced('missing objects made on the way');
        writer.setAt(path('/$K/$K/$K/$K/0'), 'item');
        await synced('an array item');
        writer.setAt(path('/list'), []);
        writer.insertAt('/list/0', json('{"$K":1}', key));
        writer.setAt(path('/list/0/$K'), 2);
        writer.insertAt('/list/0', json('{"$K":0}', key));
        await synced('writes inside array items');
        writer.removeAt(path('/list/1/$K'));
        writer.removeAt(path('/$K/$K/$K'));
        await synced('removals');
        writer.localData = json('{"$K":{"$K":{"$K":"whole"}},"list":[{"$K":3}]}', key);
        await synced('a whole document, diffed');
        writer.setAt(path('/$K'), [key]);
        await synced('the root member set again');
        writer.removeAt(path('/$K'));
        await synced('the root member removed');
        assert.deepStrictEqual(reader.remoteData, json('{"list":[{"$K":3}]}', key));
        assertNoPrototypeReached(reader.remoteData);
        assertNoPrototypeReached(writer.localData);
      }
    }
  });
});
