import assert from 'node:assert/strict';
import { afterEach, describe, mock, test } from 'node:test';
import { applyPatch } from '../../src/core/apply-patch.js';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState, type DataSink } from '../../src/core/local-state.js';

afterEach(() => mock.restoreAll());

/** A connection whose backlog the test sets; it keeps the frames it was sent. */
class SlowSink implements DataSink {
  readonly frames: string[] = [];
  backlogged = false;
  #drainListeners: Array<() => void> = [];

  sendFrame(frame: string): void {
    this.frames.push(frame);
  }

  isBacklogged(): boolean {
    return this.backlogged;
  }

  whenDrained(listener: () => void): void {
    this.#drainListeners.push(listener);
  }

  drain(): void {
    this.backlogged = false;
    const listeners = this.#drainListeners;
    this.#drainListeners = [];
    for (const listener of listeners) listener();
  }

  /** The document the other side holds after applying every frame in order. */
  get doc(): JsonValue {
    let doc: JsonValue = null;
    for (const frame of this.frames) doc = applyPatch(doc, JSON.parse(frame).payload).doc;
    return doc;
  }
}

function follow(state: LocalState, count: number): SlowSink[] {
  const sinks = Array.from({ length: count }, () => new SlowSink());
  for (const sink of sinks) state.follow(sink);
  return sinks;
}

describe('connections that fall behind', () => {
  test('get no DATA while backlogged; the others get every patch', () => {
    const state = new LocalState({ delay: 'manual', data: { log: [] } });
    const [slow, fast] = follow(state, 2);
    slow.backlogged = true;
    for (let i = 0; i < 3; i++) {
      state.insertAt('/log/-', i);
      state.flush();
    }
    assert.equal(slow.frames.length, 1);
    assert.equal(fast.frames.length, 4);
    assert.deepEqual(fast.doc, { log: [0, 1, 2] });
  });

  test('catch up with the whole document once drained, then follow the patches', () => {
    const state = new LocalState({ delay: 'manual', data: { log: [] } });
    const [slow] = follow(state, 1);
    slow.backlogged = true;
    state.insertAt('/log/-', 1);
    state.flush();
    state.insertAt('/log/-', 2);
    state.flush();
    slow.drain();
    assert.deepEqual(JSON.parse(slow.frames.at(-1)!).payload, [{ op: 'replace', path: '', value: { log: [1, 2] } }]);
    state.insertAt('/log/-', 3);
    state.flush();
    assert.deepEqual(slow.doc, { log: [1, 2, 3] });
  });

  test('that drain while a patch is pending get the whole document at that flush, so nothing is applied twice', () => {
    const state = new LocalState({ delay: 'manual', data: { log: [] } });
    const [slow, fast] = follow(state, 2);
    slow.backlogged = true;
    state.insertAt('/log/-', 1);
    state.flush();
    state.insertAt('/log/-', 2);
    const before = slow.frames.length;
    slow.drain();
    assert.equal(slow.frames.length, before, 'nothing before the pending patch goes out');
    state.flush();
    state.insertAt('/log/-', 3);
    state.flush();
    assert.deepEqual(slow.doc, { log: [1, 2, 3] });
    assert.deepEqual(fast.doc, { log: [1, 2, 3] });
  });

  test('that drain after every connection fell behind get the current document at once', () => {
    const state = new LocalState({ delay: 0, data: { n: 0 } });
    const sinks = follow(state, 2);
    for (const sink of sinks) sink.backlogged = true;
    state.setAt('/n', 1);
    state.setAt('/n', 2);
    sinks[0].drain();
    assert.deepEqual(sinks[0].doc, { n: 2 });
    state.setAt('/n', 3);
    assert.deepEqual(sinks[0].doc, { n: 3 });
    assert.deepEqual(sinks[1].doc, { n: 0 });
  });

  test('N of them catching up at the same version cost one serialisation of the document', () => {
    const state = new LocalState({ delay: 'manual', data: { items: Array.from({ length: 100 }, (_, i) => ({ i })) } });
    const sinks = follow(state, 50);
    for (const sink of sinks) sink.backlogged = true;
    state.setAt('/items/0/i', -1);
    state.flush();
    const stringify = mock.method(JSON, 'stringify');
    for (const sink of sinks) sink.drain();
    assert.equal(stringify.mock.callCount(), 1);
    stringify.mock.restore();
    for (const sink of sinks) assert.deepEqual(sink.doc, state.data);
  });

  test('that close while behind are forgotten: draining later sends nothing', () => {
    const state = new LocalState({ delay: 'manual', data: { n: 0 } });
    const [slow] = follow(state, 1);
    slow.backlogged = true;
    state.setAt('/n', 1);
    state.flush();
    state.unfollow(slow);
    slow.drain();
    assert.equal(slow.frames.length, 1);
  });

  test('that follow while backlogged get the document once they drain', () => {
    const state = new LocalState({ delay: 'manual', data: { n: 0 } });
    const sink = new SlowSink();
    sink.backlogged = true;
    state.follow(sink, true);
    assert.equal(sink.frames.length, 0);
    state.setAt('/n', 1);
    sink.drain();
    assert.deepEqual(sink.doc, { n: 1 });
  });
});
