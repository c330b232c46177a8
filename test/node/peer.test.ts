import assert from 'node:assert/strict';
import type { JsonValue } from '../../src/core/json.js';
import { afterEach, describe, mock, test } from 'node:test';
import { JugglerChangeEvent, JugglerCloseEvent, JugglerErrorEvent, JugglerMessageEvent } from '../../src/core/events.js';
import { LocalState } from '../../src/core/local-state.js';
import { FakeTransport, openPeer } from '../support/fake-transport.js';

const frame = (type: string, payload: unknown) => JSON.stringify({ type, payload });

function collect<T extends Event>(peer: EventTarget, type: string): T[] {
  const events: T[] = [];
  peer.addEventListener(type, (e) => events.push(e as T));
  return events;
}

afterEach(() => mock.timers.reset());

describe('receiving', () => {
  test('DATA patches remote data and reports the patch and the changed paths', () => {
    const { peer } = openPeer();
    const changes = collect<JugglerChangeEvent>(peer, 'change');
    peer.receive(frame('DATA', [{ op: 'replace', path: '', value: { a: 1, l: [1] } }]));
    peer.receive('{"type": "DATA", "payload": [{"op": "add", "path": "/l/-", "value": 2}, {"op": "test", "path": "/a", "value": 1}]}');
    assert.deepEqual(peer.remoteData, { a: 1, l: [1, 2] });
    assert.deepEqual(changes.map((e) => e.paths), [[''], ['/l/1']]);
    assert.deepEqual(changes[1].patch, [{ op: 'add', path: '/l/-', value: 2 }, { op: 'test', path: '/a', value: 1 }]);
  });

  test('MESSAGE is delivered as it came; PING is answered with PONG; an unsolicited PONG is ignored', () => {
    const { peer, transport } = openPeer();
    const messages = collect<JugglerMessageEvent>(peer, 'message');
    const errors = collect<JugglerErrorEvent>(peer, 'error');
    peer.receive(frame('MESSAGE', { hello: ['w\u00e9rld'] }));
    peer.receive('{"type": "PING", "payload": {}}');
    peer.receive('{"type": "PONG", "payload": {}}');
    assert.deepEqual(messages.map((e) => e.payload), [{ hello: ['w\u00e9rld'] }]);
    assert.deepEqual(transport.messages, [{ type: 'PONG', payload: {} }]);
    assert.equal(errors.length, 0);
    assert.equal(transport.closedWith, undefined);
  });

  test('sending a MESSAGE is immediate, even with DATA waiting for its timer', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { peer, transport } = openPeer({ localState: new LocalState({ data: {}, delay: 100 }) });
    peer.setAt('/x', 1);
    peer.send({ now: true });
    mock.timers.tick(100);
    assert.deepEqual(transport.messages.slice(1).map((m) => m.type), ['MESSAGE', 'DATA']);
  });
});

describe('hostile input', () => {
  const cases: Array<[string, (peer: ReturnType<typeof openPeer>['peer']) => void, string, number]> = [
    ['a binary frame', (p) => p.receiveBinary(), 'binary-frame', 1003],
    ['invalid JSON', (p) => p.receive('{"type": "DATA", '), 'invalid-json', 1007],
    ['a message that is not an object', (p) => p.receive('[1, 2]'), 'invalid-message', 1002],
    ['a missing type', (p) => p.receive('{"payload": 1}'), 'invalid-message', 1002],
    ['an unknown type', (p) => p.receive(frame('data', [])), 'unknown-type', 1002],
    ['a missing payload', (p) => p.receive('{"type": "DATA"}'), 'invalid-message', 1002],
    ['a malformed patch', (p) => p.receive(frame('DATA', { op: 'add' })), 'invalid-patch', 1002],
    ['an unknown operation', (p) => p.receive(frame('DATA', [{ op: 'merge', path: '' }])), 'invalid-patch', 1002],
    ['a failing test', (p) => p.receive(frame('DATA', [{ op: 'test', path: '/a', value: 2 }])), 'patch-failed', 1007],
    ['a path to nowhere', (p) => p.receive(frame('DATA', [{ op: 'replace', path: '/nope/x', value: 2 }])), 'patch-failed', 1007],
    ['a path through an inherited __proto__', (p) => p.receive(frame('DATA', [{ op: 'add', path: '/__proto__/polluted', value: 1 }])), 'patch-failed', 1007],
    ['a path through an inherited constructor', (p) => p.receive(frame('DATA', [{ op: 'add', path: '/constructor/prototype/polluted', value: 1 }])), 'patch-failed', 1007],
    ['a message past the size limit', (p) => p.receive(frame('MESSAGE', 'x'.repeat(2000))), 'message-too-large', 1009],
    ['a multi-byte message past the size limit', (p) => p.receive(frame('MESSAGE', '\u00e9'.repeat(600))), 'message-too-large', 1009],
    ['a deeply nested message', (p) => p.receive('{"type":"MESSAGE","payload":' + '['.repeat(100) + ']'.repeat(100) + '}'), 'too-deep', 1009],
  ];

  for (const [what, send, code, closeCode] of cases) {
    test(`${what}: a typed error, a close with ${closeCode}, and nothing changed`, () => {
      const { peer, transport } = openPeer({ maxMessageSize: 1024, maxDepth: 32, localState: new LocalState({ data: { mine: [1] } }) });
      peer.receive(frame('DATA', [{ op: 'replace', path: '', value: { a: 1 } }]));
      const errors = collect<JugglerErrorEvent>(peer, 'error');
      const closes = collect<JugglerCloseEvent>(peer, 'close');
      const changes = collect<JugglerChangeEvent>(peer, 'change');
      const messages = collect<JugglerMessageEvent>(peer, 'message');
      send(peer);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, code);
      assert.ok(errors[0].message.length > 10, 'the error says what was wrong');
      assert.equal(transport.closedWith?.code, closeCode);
      assert.equal(closes.length, 1);
      assert.equal(peer.isOpen, false);
      assert.equal(changes.length + messages.length, 0);
      assert.deepEqual(peer.remoteData, { a: 1 });
      assert.deepEqual(peer.localData, { mine: [1] });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  test('frames after the failure are ignored', () => {
    const { peer } = openPeer();
    peer.receive('nonsense');
    const messages = collect<JugglerMessageEvent>(peer, 'message');
    peer.receive(frame('MESSAGE', 1));
    assert.equal(messages.length, 0);
  });

  test('a message within the limit passes', () => {
    const { peer } = openPeer({ maxMessageSize: 1024 });
    const messages = collect<JugglerMessageEvent>(peer, 'message');
    peer.receive(frame('MESSAGE', 'x'.repeat(900)));
    assert.equal(messages.length, 1);
  });
});

describe('connections', () => {
  test('remote data starts from null on every connection, and the old data is kept, stale, until new data arrives', () => {
    const { peer } = openPeer();
    peer.receive(frame('DATA', [{ op: 'replace', path: '', value: { a: 1, b: 2 } }]));
    peer.disconnected(1006, 'gone');
    assert.equal(peer.remoteStale, true);
    peer.connected(new FakeTransport());
    assert.deepEqual(peer.remoteData, { a: 1, b: 2 });
    const changes = collect<JugglerChangeEvent>(peer, 'change');
    peer.receive(frame('DATA', [{ op: 'replace', path: '', value: { a: 1, b: 3 } }]));
    assert.equal(peer.remoteStale, false);
    assert.deepEqual(peer.remoteData, { a: 1, b: 3 });
    assert.deepEqual(changes[0].paths, ['/b'], 'only what differs from the stale copy is reported');
  });

  test('a large stale copy is not compared item by item: its replacement is reported as a change of the whole document', () => {
    // Nested deep and wide, comparing would cost depth × size: a hostile server could stall the page on every reconnect.
    const nested = (last: number) => {
      let value: JsonValue = [...Array.from({ length: 200_000 }, () => 0), last];
      for (let i = 0; i < 60; i++) value = [value];
      return value;
    };
    const { peer } = openPeer();
    peer.receive(frame('DATA', [{ op: 'replace', path: '', value: nested(1) }]));
    peer.disconnected(1006, 'gone');
    peer.connected(new FakeTransport());
    const changes = collect<JugglerChangeEvent>(peer, 'change');
    peer.receive(frame('DATA', [{ op: 'replace', path: '', value: nested(2) }]));
    assert.deepEqual(changes[0].paths, ['']);
  });

  test('sending a MESSAGE without a connection throws not-open', () => {
    const { peer } = openPeer();
    peer.disconnected(1000, '');
    assert.throws(() => peer.send(1), /no open connection/);
  });

  test('keep-alive is off by default', () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    const { transport } = openPeer();
    mock.timers.tick(600_000);
    assert.equal(transport.frames.length, 0);
  });

  test('keep-alive PINGs on its interval and closes a connection that stays silent past the timeout', () => {
    mock.timers.enable({ apis: ['setInterval', 'setTimeout'] });
    const { peer, transport } = openPeer({ pingInterval: 1000, pingTimeout: 500 });
    const errors = collect<JugglerErrorEvent>(peer, 'error');
    mock.timers.tick(1000);
    assert.deepEqual(transport.messages, [{ type: 'PING', payload: {} }]);
    mock.timers.tick(200);
    peer.receive(frame('PONG', {}));
    mock.timers.tick(1000);
    assert.equal(peer.isOpen, true);
    mock.timers.tick(499);
    assert.equal(peer.isOpen, true);
    mock.timers.tick(1);
    assert.equal(peer.isOpen, false);
    assert.equal(errors[0].code, 'ping-timeout');
    assert.equal(transport.closedWith?.code, 1001);
  });
});

describe('hostile input under the default limits', () => {
  test('a million-deep message is refused as too deep without exhausting the stack', () => {
    const { peer, transport } = openPeer();
    const errors = collect<JugglerErrorEvent>(peer, 'error');
    peer.receive('{"type":"MESSAGE","payload":' + '['.repeat(1_000_000) + ']'.repeat(1_000_000) + '}');
    assert.equal(errors[0]?.code, 'too-deep');
    assert.equal(transport.closedWith?.code, 1009);
  });
});
