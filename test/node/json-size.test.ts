/** The size estimate against what V8 really holds, and the work one patch may cause, against the clock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { applyPatch, defaultPatchLimits } from '../../src/core/apply-patch.js';
import { jsonSize } from '../../src/core/json-size.js';
import type { JsonValue } from '../../src/core/json.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes of heap the value parsed from `text` holds, measured around the parse. */
function measuredHeap(text: string): { heap: number; value: JsonValue } {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const value = JSON.parse(text) as JsonValue;
  gc();
  gc();
  return { heap: process.memoryUsage().heapUsed - before, value };
}

const count = 100_000;
const shapes: Record<string, string> = {
  'empty objects': `[${'{},'.repeat(count - 1)}{}]`,
  'empty arrays': `[${'[],'.repeat(count - 1)}[]]`,
  // Many, so that what the parser leaves behind does not show.
  'small numbers': `[${'1,'.repeat(10 * count - 1)}1]`,
  'short strings': JSON.stringify(Array.from({ length: count }, (_, i) => `s${i}`)),
  'a wide object of empty objects': `{${Array.from({ length: count }, (_, i) => `"${i.toString(36)}":{}`).join(',')}}`,
  'a wide object of numbers': `{${Array.from({ length: count }, (_, i) => `"k${i.toString(36)}":${i}`).join(',')}}`,
  records: JSON.stringify(Array.from({ length: count / 4 }, (_, i) => ({ id: i, value: i + 0.5, name: `n${i}` }))),
};

describe('jsonSize against the heap V8 holds', () => {
  for (const [name, text] of Object.entries(shapes)) {
    test(`is at least what ${name} take`, () => {
      const { heap, value } = measuredHeap(text);
      const estimate = jsonSize(value);
      assert.ok(estimate >= 0.9 * heap, `estimated ${estimate} bytes, ${heap} held`);
    });
  }
});

describe('the work one patch may cause, against the clock', () => {
  const limits = { ...defaultPatchLimits, maxCopiedBytes: 4 * 1024 * 1024, maxDepth: 100 };
  const copyAndDrop = [{ op: 'copy', from: '/a', path: '/b' }, { op: 'remove', path: '/b' }];
  const costly: Record<string, string> = {
    'a copy of 174,761 empty objects': `{"a":[${'{},'.repeat(174_760)}{}]}`,
  };
  for (const [name, text] of Object.entries(costly)) {
    test(`${name} is refused within 50 ms`, () => {
      const doc = JSON.parse(text) as JsonValue;
      const dataSize = jsonSize(doc);
      // The garbage of the parse is collected first: the clock is for the patch.
      gc();
      const started = performance.now();
      assert.throws(() => applyPatch(doc, copyAndDrop, { ...limits, dataSize }), { code: 'patch-too-costly' });
      const took = performance.now() - started;
      assert.ok(took < 50, `took ${took.toFixed(1)} ms`);
    });
  }

  test('a dashboard patch of copies and removals of records still applies', () => {
    const doc = { rows: Array.from({ length: 1_000 }, (_, i) => ({ id: i, value: i / 2, name: `row ${i}` })) } as JsonValue;
    const patch = [
      { op: 'copy', from: '/rows', path: '/previous' },
      { op: 'remove', path: '/rows/0' },
      { op: 'add', path: '/rows/-', value: { id: 1_000, value: 500, name: 'row 1000' } },
      { op: 'remove', path: '/previous' },
    ];
    const result = applyPatch(doc, patch, { ...limits, dataSize: jsonSize(doc) });
    assert.equal((result.doc as { rows: unknown[] }).rows.length, 1_000);
    assert.equal(result.dataSize, jsonSize(result.doc));
  });
});
