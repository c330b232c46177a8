import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childPointer, formatPointer, isAtOrBelow, parsePointer } from '../../src/core/json-pointer.js';
import { JugglerError } from '../../src/core/errors.js';

describe('JSON Pointer', () => {
  test('parses RFC 6901 pointers, unescaping ~1 and ~0', () => {
    assert.deepEqual(parsePointer(''), []);
    assert.deepEqual(parsePointer('/'), ['']);
    assert.deepEqual(parsePointer('/a~1b/m~0n/0'), ['a/b', 'm~n', '0']);
    assert.deepEqual(parsePointer('/~01'), ['~1']);
  });

  test('formats tokens back to the same pointer', () => {
    for (const pointer of ['', '/', '/a~1b/m~0n/0', '/~01', '/x//y']) {
      assert.equal(formatPointer(parsePointer(pointer)), pointer);
    }
    assert.equal(childPointer('/a', 'b/c'), '/a/b~1c');
    assert.equal(childPointer('/a', 3), '/a/3');
  });

  test('rejects pointers without a leading slash or with bad escapes', () => {
    for (const bad of ['a', '/a~', '/a~2', 5, null]) {
      assert.throws(() => parsePointer(bad), (e: unknown) => e instanceof JugglerError && e.code === 'invalid-path');
    }
  });

  test('__proto__, constructor and prototype are tokens like any other', () => {
    for (const [pointer, tokens] of [['/__proto__', ['__proto__']], ['/a/__proto__/x', ['a', '__proto__', 'x']], ['/constructor/prototype', ['constructor', 'prototype']]] as const) {
      assert.deepEqual(parsePointer(pointer), tokens);
    }
  });

  test('compares ancestry by whole tokens', () => {
    assert.ok(isAtOrBelow('/a/b', '/a'));
    assert.ok(isAtOrBelow('/a', '/a'));
    assert.ok(isAtOrBelow('/a', ''));
    assert.ok(!isAtOrBelow('/ab', '/a'));
    assert.ok(!isAtOrBelow('/a', '/a/b'));
  });
});
