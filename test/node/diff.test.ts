import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyPatch } from '../../src/core/apply-patch.js';
import { diff, diffChanges } from '../../src/core/diff.js';
import type { JsonValue } from '../../src/core/json.js';
import { assertNoMemberReplace, jsonDocument } from '../support/json-arbitrary.js';

const roundTrip = (a: JsonValue, b: JsonValue) => applyPatch(structuredClone(a), JSON.parse(JSON.stringify(diff(a, b)))).doc;

describe('diff', () => {
  test('patching A with the diff from A to B yields B, for random documents', () => {
    const json = jsonDocument();
    fc.assert(
      fc.property(json, json, (a, b) => {
        assert.deepStrictEqual(roundTrip(a, b), b);
      }),
      { numRuns: 2000 },
    );
  });

  test('sets object members with add and never replace, so every applier takes the patch', () => {
    assert.deepEqual(diff({ '-': 1, a: { '-': [1] } }, { '-': 2, a: { '-': [2] } }), [
      { op: 'add', path: '/-', value: 2 },
      { op: 'replace', path: '/a/-/0', value: 2 },
    ]);
    const json = jsonDocument();
    fc.assert(
      fc.property(json, json, (a, b) => {
        assertNoMemberReplace(a, diff(a, b), (doc, op) => applyPatch(doc, [op]).doc);
      }),
      { numRuns: 1000 },
    );
  });

  test('round trips arrays that were edited, shifted and resized', () => {
    const list = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 30 });
    const edit = fc.record({ drop: fc.nat(5), add: fc.array(fc.integer(), { maxLength: 5 }), at: fc.nat(30), insert: fc.array(fc.integer(), { maxLength: 3 }) });
    fc.assert(
      fc.property(list, edit, (a, { drop, add, at, insert }) => {
        const b = [...a.slice(drop), ...add];
        b.splice(at, 0, ...insert);
        assert.deepEqual(roundTrip({ l: a }, { l: b }), { l: b });
      }),
      { numRuns: 2000 },
    );
  });

  test('is empty for equal documents and skips shared subtrees', () => {
    assert.deepEqual(diff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), []);
    const shared = { big: Array.from({ length: 10 }, (_, i) => i) };
    assert.deepEqual(diff({ shared, x: 1 }, { shared, x: 2 }), [{ op: 'add', path: '/x', value: 2 }]);
  });

  test('does not even look inside a subtree that is the same object on both sides', () => {
    const untouchable = Object.defineProperty({}, 'secret', {
      enumerable: true,
      get() {
        throw new Error('the diff walked into a shared subtree');
      },
    }) as JsonValue;
    assert.deepEqual(diff({ untouchable, n: 1 }, { untouchable, n: 2 }), [{ op: 'add', path: '/n', value: 2 }]);
  });

  test('the first change from null replaces the whole document', () => {
    assert.deepEqual(diff(null, { a: 1 }), [{ op: 'replace', path: '', value: { a: 1 } }]);
  });

  test('sliding a 10,000-item window is two operations', () => {
    const a = Array.from({ length: 10_000 }, (_, i) => i);
    const b = [...a.slice(1), 10_000];
    assert.deepEqual(diff({ w: a }, { w: b }), [
      { op: 'remove', path: '/w/0' },
      { op: 'add', path: '/w/9999', value: 10_000 },
    ]);
  });

  test('appending to a 10,000-item array is one operation per new item', () => {
    const a = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    assert.deepEqual(diff(a, [...a, { i: 10_000 }]), [{ op: 'add', path: '/10000', value: { i: 10_000 } }]);
  });

  test('a window of records shifted by several items stays small', () => {
    const a = Array.from({ length: 1000 }, (_, i) => ({ t: i, v: i * 2 }));
    const b = [...a.slice(3), ...[1000, 1001, 1002].map((t) => ({ t, v: t * 2 }))];
    assert.equal(diff(structuredClone(a), b).length, 6);
  });

  test('reports changed paths as applyPatch does', () => {
    assert.deepEqual(diffChanges({ a: 1, b: [1, 2] }, { a: 2, b: [1, 2, 3] }).paths, ['/a', '/b/2']);
    assert.deepEqual(diffChanges({ w: [1, 2, 3] }, { w: [2, 3, 4] }).paths, ['/w']);
  });

  test('object keys that need escaping round trip', () => {
    assert.deepEqual(roundTrip({ 'a/b': 1, 'c~d': 2 }, { 'a/b': 3, 'e~/f': 4 }), { 'a/b': 3, 'e~/f': 4 });
  });
});
