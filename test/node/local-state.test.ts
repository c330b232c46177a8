import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { LocalState } from '../../src/core/local-state.js';
import { JugglerError } from '../../src/core/errors.js';
import { FakeTransport, openPeer } from '../support/fake-transport.js';
import { applyPatch } from '../../src/core/apply-patch.js';
import type { JsonValue } from '../../src/core/json.js';
import { assertNoMemberReplace } from '../support/json-arbitrary.js';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setInterval'] }));
afterEach(() => mock.timers.reset());

describe('the coalescing delay', () => {
  test('is a throttle: the first change starts the timer, later ones do not restart it', () => {
    const { peer, transport } = openPeer({ delay: 100 });
    peer.setAt('/a', 1);
    mock.timers.tick(60);
    peer.setAt('/b', 2);
    mock.timers.tick(39);
    assert.equal(transport.patches.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(transport.patches, [
      [
        { op: 'replace', path: '', value: { a: 1 } },
        { op: 'add', path: '/b', value: 2 },
      ],
    ]);
  });

  test('a steady stream of changes still goes out every delay', () => {
    const { peer, transport } = openPeer({ delay: 100, localState: new LocalState({ data: { n: 0 }, delay: 100 }) });
    transport.frames.length = 0;
    for (let t = 1; t <= 50; t++) {
      peer.setAt('/n', t);
      mock.timers.tick(10);
    }
    assert.deepEqual(
      transport.patches,
      [10, 20, 30, 40, 50].map((n) => [{ op: 'add', path: '/n', value: n }]),
    );
  });

  test('delay 0 sends every change on its own', () => {
    const { peer, transport } = openPeer({ delay: 0 });
    peer.setAt('/a', 1);
    peer.setAt('/a', 2);
    peer.setAt('/b', 3);
    assert.deepEqual(transport.patches, [
      [{ op: 'replace', path: '', value: { a: 1 } }],
      [{ op: 'add', path: '/a', value: 2 }],
      [{ op: 'add', path: '/b', value: 3 }],
    ]);
  });

  test('batch: writes made in it go out as one DATA, with delay 0 at once, with a delay when it ends', () => {
    const { peer, transport } = openPeer({ delay: 0, localState: new LocalState({ delay: 0, data: {} }) });
    transport.frames.length = 0;
    peer.localState.batch(() => {
      peer.setAt('/a', 1);
      peer.localState.batch(() => peer.setAt('/b', 2));
      assert.equal(transport.frames.length, 0, 'nothing goes out inside the batch, nested or not');
    });
    assert.deepEqual(transport.patches, [[{ op: 'add', path: '/a', value: 1 }, { op: 'add', path: '/b', value: 2 }]]);

    const delayed = openPeer({ delay: 50, localState: new LocalState({ delay: 50, data: {} }) });
    delayed.transport.frames.length = 0;
    delayed.peer.localState.batch(() => delayed.peer.setAt('/a', 1));
    assert.equal(delayed.transport.frames.length, 0, 'a delay still applies');
    mock.timers.tick(50);
    assert.deepEqual(delayed.transport.patches, [[{ op: 'add', path: '/a', value: 1 }]]);
  });

  test('a batch whose writes throw still releases the throttle: what it wrote goes out', () => {
    const { peer, transport } = openPeer({ delay: 0, localState: new LocalState({ delay: 0, data: {} }) });
    transport.frames.length = 0;
    assert.throws(() =>
      peer.localState.batch(() => {
        peer.setAt('/a', 1);
        peer.setAt('/a/b/c', 2);
      }),
    );
    assert.deepEqual(transport.patches, [[{ op: 'add', path: '/a', value: 1 }]]);
    peer.setAt('/b', 3);
    assert.deepEqual(transport.patches.at(-1), [{ op: 'add', path: '/b', value: 3 }], 'later writes go out at once again');
  });

  test('manual mode sends only on flush, as one DATA', () => {
    const { peer, transport } = openPeer({ delay: 'manual', localState: new LocalState({ delay: 'manual', data: {} }) });
    transport.frames.length = 0;
    peer.setAt('/a', 1);
    peer.setAt('/b', 2);
    mock.timers.tick(60_000);
    assert.equal(transport.frames.length, 0);
    assert.equal(peer.flush(), true);
    assert.deepEqual(transport.patches, [[{ op: 'add', path: '/a', value: 1 }, { op: 'add', path: '/b', value: 2 }]]);
  });

  test('a flush sends nothing when the data is back where it was', () => {
    const { peer, transport } = openPeer({ localState: new LocalState({ delay: 'manual', data: { x: 0, o: { k: 'v' } } }) });
    transport.frames.length = 0;
    peer.setAt('/x', 1);
    peer.setAt('/x', 0);
    peer.setAt('/o', { k: 'w' });
    peer.setAt('/o', { k: 'v' });
    peer.setAt('/new', 1);
    peer.removeAt('/new');
    assert.equal(peer.flush(), false);
    assert.equal(transport.frames.length, 0);
  });

  test('a forced write is sent even when the place already holds the value', () => {
    const { peer, transport } = openPeer({ localState: new LocalState({ delay: 'manual', data: { mode: 'manual', other: 1 } }) });
    const state = peer.localState;
    transport.frames.length = 0;
    state.setAt('/mode', 'manual', { force: true });
    state.setAt('/other', 1);
    peer.flush();
    assert.deepEqual(transport.patches, [[{ op: 'add', path: '/mode', value: 'manual' }]], 'the forced write goes, the plain one folds away');
  });

  test('later writes in the same delay fold into a forced one, which still leaves a write for its place', () => {
    const { peer, transport } = openPeer({ localState: new LocalState({ delay: 100, data: { mode: 'auto', label: 'a' } }) });
    const state = peer.localState;
    transport.frames.length = 0;
    state.setAt('/mode', 'eco', { force: true });
    state.setAt('/mode', 'auto');
    state.setAt('/label', 'b', { force: true });
    state.setAt('/label', 'c');
    mock.timers.tick(100);
    assert.deepEqual(transport.patches, [
      [
        { op: 'add', path: '/mode', value: 'auto' },
        { op: 'add', path: '/label', value: 'c' },
      ],
    ]);
  });

  test('repeated writes to one place fold into one operation', () => {
    const { peer, transport } = openPeer({ localState: new LocalState({ delay: 'manual', data: { x: 0, y: 0 } }) });
    transport.frames.length = 0;
    for (let i = 1; i <= 100; i++) {
      peer.setAt('/x', i);
      peer.setAt('/y', -i);
    }
    peer.flush();
    assert.deepEqual(transport.patches, [[{ op: 'add', path: '/x', value: 100 }, { op: 'add', path: '/y', value: -100 }]]);
  });

  test('writes below a place written earlier are kept in order', () => {
    const state = new LocalState({ delay: 'manual', data: { a: { x: 1 } } });
    const { peer, transport } = openPeer({ localState: state });
    transport.frames.length = 0;
    peer.setAt('/a/x', 2);
    peer.setAt('/a', { x: 2 });
    peer.setAt('/a/y', 3);
    peer.setAt('/a', { x: 5 });
    peer.flush();
    const receiver = openPeer();
    receiver.peer.receive(JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '', value: { a: { x: 1 } } }] }));
    receiver.peer.receive(transport.frames[0]);
    assert.deepEqual(receiver.peer.remoteData, peer.localData);
  });
});

describe('writing local data', () => {
  test('setAt creates missing objects, and the first change from null replaces the whole document', () => {
    const { peer, transport } = openPeer({ delay: 0 });
    peer.setAt('/a/b/c', 1);
    peer.setAt('/a/d/e', 2);
    assert.deepEqual(peer.localData, { a: { b: { c: 1 }, d: { e: 2 } } });
    assert.deepEqual(transport.patches, [
      [{ op: 'replace', path: '', value: { a: { b: { c: 1 } } } }],
      [{ op: 'add', path: '/a/d', value: { e: 2 } }],
    ]);
  });

  test('existing object members are set with add, array items with replace, so every applier takes the patch', () => {
    const start = { '-': 1, o: { '-': { x: 1 } }, l: [1, { '-': 2 }] };
    const { peer, transport } = openPeer({ localState: new LocalState({ delay: 'manual', data: structuredClone(start) }) });
    transport.frames.length = 0;
    peer.setAt('/-', 2);
    peer.setAt('/o/-/x', 2);
    peer.setAt('/l/0', 5);
    peer.setAt('/l/1/-', 3);
    peer.setAt('/o/-', { x: 9 });
    peer.setAt('/-', 3);
    peer.flush();
    peer.setAt('/o/-', 4);
    peer.localData = { '-': 5, o: { '-': 4 }, l: [6, { '-': 3 }] };
    peer.flush();
    assert.deepEqual(transport.patches, [
      [
        { op: 'add', path: '/-', value: 3 },
        { op: 'add', path: '/o/-/x', value: 2 },
        { op: 'replace', path: '/l/0', value: 5 },
        { op: 'add', path: '/l/1/-', value: 3 },
        { op: 'add', path: '/o/-', value: { x: 9 } },
      ],
      [
        { op: 'add', path: '/o/-', value: 4 },
        { op: 'add', path: '/-', value: 5 },
        { op: 'replace', path: '/l/0', value: 6 },
      ],
    ]);
    const ops = (transport.patches as Array<Array<{ op: string; path: string }>>).flat();
    assertNoMemberReplace(start, ops, (doc, op) => applyPatch(doc, [op]).doc);
    assert.deepEqual(applyPatch(structuredClone(start) as JsonValue, ops).doc, peer.localData);
  });

  test('array writes: append, insert, replace an item, remove', () => {
    const { peer, transport } = openPeer({ delay: 0, localState: new LocalState({ delay: 0, data: { l: [1, 2] } }) });
    transport.frames.length = 0;
    peer.setAt('/l/-', 3);
    peer.setAt('/l/3', 4);
    peer.insertAt('/l/0', 0);
    peer.setAt('/l/1', 10);
    peer.removeAt('/l/2');
    assert.deepEqual(peer.localData, { l: [0, 10, 3, 4] });
    assert.deepEqual(transport.patches, [
      [{ op: 'add', path: '/l/-', value: 3 }],
      [{ op: 'add', path: '/l/3', value: 4 }],
      [{ op: 'add', path: '/l/0', value: 0 }],
      [{ op: 'replace', path: '/l/1', value: 10 }],
      [{ op: 'remove', path: '/l/2' }],
    ]);
  });

  test('sliding a window by path is two operations', () => {
    const state = new LocalState({ delay: 'manual', data: { w: Array.from({ length: 10_000 }, (_, i) => i) } });
    const { peer, transport } = openPeer({ localState: state });
    transport.frames.length = 0;
    peer.removeAt('/w/0');
    peer.setAt('/w/-', 10_000);
    peer.flush();
    assert.deepEqual(transport.patches, [[{ op: 'remove', path: '/w/0' }, { op: 'add', path: '/w/-', value: 10_000 }]]);
  });

  test('replacing the whole document sends its difference', () => {
    const { peer, transport } = openPeer({ delay: 0 });
    const window = Array.from({ length: 10_000 }, (_, i) => i);
    peer.localData = { window, name: 'a' };
    peer.localData = { window: [...window.slice(1), 10_000], name: 'a' };
    assert.deepEqual(transport.patches[1], [
      { op: 'remove', path: '/window/0' },
      { op: 'add', path: '/window/9999', value: 10_000 },
    ]);
    peer.localData = { ...(peer.localData as object), name: 'a' };
    assert.equal(transport.frames.length, 2, 'an equal document sends nothing');
  });

  test('values are copied, so the caller may keep changing its own object', () => {
    const { peer } = openPeer({ delay: 0 });
    const mine = { n: 1 };
    peer.setAt('/x', mine);
    mine.n = 2;
    assert.deepEqual(peer.localData, { x: { n: 1 } });
  });

  test('bad writes throw typed errors and change nothing', () => {
    const { peer } = openPeer({ localState: new LocalState({ data: { s: 'text', l: [1] } }) });
    const invalid = (code: string) => (e: unknown) => e instanceof JugglerError && e.code === code;
    assert.throws(() => peer.setAt('/s/x', 1), invalid('invalid-path'));
    assert.throws(() => peer.setAt('/l/5', 1), invalid('invalid-path'));
    assert.throws(() => peer.setAt('/u', undefined as never), invalid('invalid-value'));
    assert.throws(() => peer.insertAt('/missing/0', 1), invalid('invalid-path'));
    assert.deepEqual(peer.localData, { s: 'text', l: [1] });
  });

  test('fires change events with the changed paths', () => {
    const state = new LocalState({ data: { l: [1, 2], a: 1 } });
    const seen: string[][] = [];
    state.addEventListener('change', (e) => seen.push([...(e as unknown as { paths: string[] }).paths]));
    state.setAt('/a', 2);
    state.removeAt('/l/0');
    state.replace({ l: [2], a: 3 });
    assert.deepEqual(seen, [['/a'], ['/l'], ['/a']]);
  });
});

describe('one state, many connections', () => {
  test('the patch is serialised once and the same frame goes to every connection', () => {
    const shared = new LocalState({ delay: 'manual', data: { n: 0 } });
    const peers = Array.from({ length: 50 }, () => openPeer({ localState: shared }));
    for (const { transport } of peers) assert.deepEqual(transport.patches, [[{ op: 'replace', path: '', value: { n: 0 } }]]);
    shared.setAt('/n', 1);
    const stringify = mock.method(JSON, 'stringify');
    shared.flush();
    assert.equal(stringify.mock.callCount(), 0, 'flushing serialises nothing again');
    stringify.mock.restore();
    const frames = new Set(peers.map(({ transport }) => transport.frames[1]));
    assert.equal(frames.size, 1);
  });

  test('a connection that joins while a patch is pending gets the whole document at that flush', () => {
    const shared = new LocalState({ delay: 100, data: { l: [] } });
    const first = openPeer({ localState: shared });
    shared.setAt('/l/-', 1);
    const late = openPeer({ localState: shared });
    assert.equal(late.transport.frames.length, 0);
    mock.timers.tick(100);
    assert.deepEqual(first.transport.patches[1], [{ op: 'add', path: '/l/-', value: 1 }]);
    assert.deepEqual(late.transport.patches, [[{ op: 'replace', path: '', value: { l: [1] } }]]);
  });

  test('after a reconnect the whole local data goes out first, including what was written offline', () => {
    const peer = openPeer({ delay: 100 }).peer;
    peer.setAt('/a', 1);
    mock.timers.tick(100);
    peer.disconnected(1006, '');
    peer.setAt('/b', 2);
    const again = new FakeTransport();
    peer.connected(again);
    assert.deepEqual(again.patches, [[{ op: 'replace', path: '', value: { a: 1, b: 2 } }]]);
    mock.timers.tick(1000);
    assert.equal(again.frames.length, 1);
  });
});
