import fc from 'fast-check';
import { parsePointer } from '../../src/core/json-pointer.js';
import type { JsonValue } from '../../src/core/json.js';

/** Member names, with the ones that trip up appliers (prototype names, `-`, escapes) often among them. */
export const memberName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '-', '0', '', 'a/b', 'm~n'),
  fc.string({ maxLength: 3 }),
);

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 }));

/**
 * Random JSON documents as they arrive on the wire: through `JSON.stringify` and
 * `JSON.parse`, so `-0` is `0` and every member, `__proto__` included, is own.
 */
export function jsonDocument(maxDepth = 4): fc.Arbitrary<JsonValue> {
  const { value } = fc.letrec<{ value: JsonValue; array: JsonValue[]; object: Record<string, JsonValue> }>((tie) => ({
    value: fc.oneof({ maxDepth, depthSize: 'small' }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(memberName, tie('value'), { maxKeys: 5 }),
  }));
  return value.map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
}

/**
 * Applies `ops` one by one to a copy of `doc` with `apply`, and fails if any
 * `replace` names an object member: such patches must set members with `add`,
 * which every applier takes (Python's jsonpatch refuses `replace` on `-`).
 */
export function assertNoMemberReplace(doc: JsonValue, ops: ReadonlyArray<{ op: string; path: string }>, apply: (doc: JsonValue, op: unknown) => JsonValue): void {
  let current = structuredClone(doc);
  for (const op of ops) {
    if (op.op === 'replace' && op.path !== '') {
      const tokens = parsePointer(op.path);
      let parent: unknown = current;
      for (const token of tokens.slice(0, -1)) parent = (parent as Record<string, unknown>)[token];
      if (!Array.isArray(parent)) throw new Error(`replace of an object member: ${JSON.stringify(op)}`);
    }
    current = apply(current, op);
  }
}
