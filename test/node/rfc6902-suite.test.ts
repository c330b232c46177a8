/**
 * The community RFC 6902 test suite (npm `json-patch-test-suite`, the cases
 * most JSON Patch libraries run) against the kit's applier, with the limits a
 * peer applies by default: every valid case gives the expected document, every
 * error case fails with a typed JugglerError and leaves the document as it was.
 *
 * Deliberate differences, each listed in `skipped` or below with its reason:
 * - "duplicate ops" (disabled in the suite) has an operation with two `op`
 *   members. Once parsed as JSON it has one (the last), so the case cannot be
 *   expressed to any applier that takes parsed JSON, ours included.
 * - Limits: a peer refuses a patch that nests the data deeper than `maxDepth`
 *   (`too-deep`) or whose `copy` operations duplicate more than
 *   `maxMessageSize` bytes (`message-too-large`), where RFC 6902 sets no bound.
 *   No case of the suite comes near the defaults; the last test shows the
 *   difference.
 * Other cases the suite marks disabled (a scalar document, `test` on the whole
 * document) are valid RFC 6902 and run like any other.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { applyPatch } from '../../src/core/apply-patch.js';
import { JugglerError } from '../../src/core/errors.js';
import { jsonEqual, type JsonValue } from '../../src/core/json.js';
import { defaultLimits } from '../../src/core/messages.js';

interface SuiteCase {
  comment?: string;
  doc: JsonValue;
  patch: unknown;
  expected?: JsonValue;
  error?: string;
  disabled?: boolean;
}

const require = createRequire(import.meta.url);
const limits = { maxDepth: defaultLimits.maxDepth, maxCopiedBytes: defaultLimits.maxMessageSize };

const skipped: Record<string, string> = {
  'duplicate ops': 'two "op" members in one operation cannot survive JSON parsing; the parsed case is a valid move',
};

for (const file of ['tests.json', 'spec_tests.json']) {
  const cases = require(`json-patch-test-suite/${file}`) as SuiteCase[];

  describe(`json-patch-test-suite ${file}`, () => {
    cases.forEach((c, index) => {
      const name = `${index}: ${c.comment ?? c.error ?? JSON.stringify(c.patch)}`;
      const skip = skipped[c.comment ?? ''];
      test(name, { skip }, () => {
        const doc = structuredClone(c.doc ?? null);
        if (c.error !== undefined) {
          const before = JSON.stringify(doc);
          assert.throws(
            () => applyPatch(doc, c.patch, limits),
            (e: unknown) => e instanceof JugglerError && ['invalid-patch', 'patch-failed', 'invalid-path'].includes(e.code),
            `should fail: ${c.error}`,
          );
          assert.equal(JSON.stringify(doc), before, 'a failed patch leaves the document as it was');
          return;
        }
        const result = applyPatch(doc, c.patch, limits).doc;
        // Member order is not data: the suite's expected documents list members in any order.
        if ('expected' in c) assert.ok(jsonEqual(result, c.expected), `got ${JSON.stringify(result)}, expected ${JSON.stringify(c.expected)}`);
      });
    });
  });
}

describe('where the kit deliberately differs from the suite', () => {
  test('limits: a patch past them is refused, where RFC 6902 would apply it', () => {
    const doc = { a: 'x'.repeat(100) };
    const copies = [{ op: 'copy', from: '/a', path: '/b' }, { op: 'copy', from: '/a', path: '/c' }];
    assert.deepEqual(applyPatch(structuredClone(doc), copies).doc, { a: doc.a, b: doc.a, c: doc.a });
    assert.throws(() => applyPatch(structuredClone(doc), copies, { maxCopiedBytes: 150 }), (e: unknown) => e instanceof JugglerError && e.code === 'message-too-large');
    const deep = [{ op: 'add', path: '/a', value: [[[[1]]]] }];
    assert.throws(() => applyPatch(structuredClone(doc), deep, { maxDepth: 4 }), (e: unknown) => e instanceof JugglerError && e.code === 'too-deep');
  });
});
