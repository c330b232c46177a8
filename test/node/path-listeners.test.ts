import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PathListeners } from '../../src/core/path-listeners.js';

function setUp(paths: string[]) {
  const listeners = new PathListeners();
  const calls: string[] = [];
  const removers = new Map(paths.map((path) => [path, listeners.add(path, () => calls.push(path))]));
  return { listeners, calls, removers };
}

describe('PathListeners', () => {
  test('a change reaches its path, its ancestors and its descendants, and nothing else', () => {
    const { listeners, calls } = setUp(['', '/a', '/a/b', '/a/b/c', '/a/bc', '/x', '/a/b/d/e']);
    listeners.notify(['/a/b']);
    assert.deepEqual(calls.sort(), ['', '/a', '/a/b', '/a/b/c', '/a/b/d/e']);
  });

  test('each listener is called once however many paths reach it, with all of them', () => {
    const listeners = new PathListeners();
    const seen: string[][] = [];
    listeners.add('/a', (paths) => seen.push([...paths]));
    listeners.notify(['/a/1', '/a/2', '/a', '/b']);
    assert.deepEqual(seen, [['/a/1', '/a/2', '/a']]);
  });

  test('a change at the root reaches everyone', () => {
    const { listeners, calls } = setUp(['/a', '/b/c', '']);
    listeners.notify(['']);
    assert.equal(calls.length, 3);
  });

  test('removed listeners are not called, and paths with ~ escapes match', () => {
    const { listeners, calls, removers } = setUp(['/a', '/a~1b', '/m~0n']);
    removers.get('/a')!();
    listeners.notify(['/a', '/a~1b', '/m~0n']);
    assert.deepEqual(calls, ['/a~1b', '/m~0n']);
  });

  test('notifying one path among 10,000 listeners reaches one', () => {
    const listeners = new PathListeners();
    let calls = 0;
    for (let i = 0; i < 10_000; i++) listeners.add(`/rows/${i}/value`, () => calls++);
    listeners.notify(['/rows/5000/value']);
    assert.equal(calls, 1);
  });

  test('a listener that throws does not keep the others from being called, and its error is thrown again later', async () => {
    const listeners = new PathListeners();
    const calls: string[] = [];
    const failure = new TypeError('Cannot convert object to primitive value');
    listeners.add('/mode', () => {
      calls.push('/mode');
      throw failure;
    });
    listeners.add('/temperature', () => calls.push('/temperature'));
    listeners.add('', () => calls.push(''));
    // Thrown from a microtask it would end this process: catch what notify hands to queueMicrotask.
    const queued: Array<() => void> = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (callback) => queued.push(callback);
    try {
      listeners.notify(['/mode', '/temperature']);
    } finally {
      globalThis.queueMicrotask = original;
    }
    assert.deepEqual(calls.sort(), ['', '/mode', '/temperature']);
    assert.equal(queued.length, 1, 'the error is reported once');
    assert.throws(queued[0], (error) => error === failure);
  });
});
