/**
 * The kit's applier and diff checked against another implementation,
 * fast-json-patch, on random documents and patches.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import jsonPatch from 'fast-json-patch';
import { applyPatch } from '../../src/core/apply-patch.js';
import { diff } from '../../src/core/diff.js';
import { JugglerError } from '../../src/core/errors.js';
import { childPointer, isAtOrBelow } from '../../src/core/json-pointer.js';
import { jsonEqual, type JsonValue } from '../../src/core/json.js';
import { jsonDocument, memberName } from '../support/json-arbitrary.js';

type Outcome = { doc: JsonValue } | { error: unknown };

function ours(doc: JsonValue, patch: unknown): Outcome {
  try {
    return { doc: applyPatch(structuredClone(doc), structuredClone(patch)).doc };
  } catch (error) {
    return { error };
  }
}

function theirs(doc: JsonValue, patch: unknown): Outcome {
  try {
    return { doc: jsonPatch.applyPatch(structuredClone(doc), structuredClone(patch) as jsonPatch.Operation[], true).newDocument as JsonValue };
  } catch (error) {
    return { error };
  }
}

const tokensOf = (pointer: unknown): string[] =>
  typeof pointer === 'string' ? pointer.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~')) : [];

/**
 * Where fast-json-patch departs from RFC 6902, so that the two may disagree.
 * Each returns why when it applies to the operation; the kit follows the RFC
 * in every one of these, as the examples below show.
 */
const deviations: Array<[string, (op: Record<string, unknown>, doc: JsonValue) => boolean]> = [
  [
    // It reads members with plain property access: a name inherited from
    // Object.prototype (toString, constructor) counts as present, and
    // __proto__ or constructor/prototype throws a TypeError by design.
    'inherited member names are present to fast-json-patch',
    (op) => [...tokensOf(op.path), ...tokensOf(op.from)].some((token) => token in Object.prototype),
  ],
  [
    // RFC 6902 §4 takes array indices as in RFC 6901: digits without leading zeros.
    // fast-json-patch takes "01" as 1 and "" as 0.
    'array indices with leading zeros or no digits',
    (op) => [...tokensOf(op.path), ...tokensOf(op.from)].some((token) => token === '' || /^0\d/.test(token)),
  ],
  [
    // fast-json-patch checks that `path` starts with "/" but not `from`, and
    // reads a `from` such as "x" as undefined.
    'a "from" that is not a JSON Pointer',
    (op) => typeof op.from === 'string' && op.from !== '' && op.from[0] !== '/',
  ],
  [
    // RFC 6901 §3: "~" is only ever followed by "0" or "1". fast-json-patch
    // takes any other "~" as itself; the kit refuses the pointer.
    'malformed "~" escapes',
    (op) => [op.path, op.from].some((pointer) => typeof pointer === 'string' && /~[^01]|~$/.test(pointer)),
  ],
  [
    // RFC 6902 §4.4: "The from location MUST NOT be a proper prefix of the path location".
    // fast-json-patch does not check, and removes the value before adding it into itself.
    'move into its own child',
    (op) => op.op === 'move' && typeof op.from === 'string' && typeof op.path === 'string' && op.path !== op.from && isAtOrBelow(op.path, op.from),
  ],
  [
    // RFC 6902 §4.4: move is a remove, then an add at the target "using the
    // target location" as it is after the remove. fast-json-patch checks the
    // target against the document before the remove: where the remove shifts
    // the items of an array that the target goes through, it appends an item
    // moved one past the end instead of failing, or adds into what is now a
    // scalar (which does nothing, so the moved value is lost).
    'a move whose remove shifts the target',
    (op) => op.op === 'move' && typeof op.from === 'string' && typeof op.path === 'string' && isAtOrBelow(op.path, op.from.slice(0, op.from.lastIndexOf('/'))),
  ],
  [
    // fast-json-patch turns the document into null. The kit refuses: a JSON
    // document always has a value, and the wire format has no way to say "none".
    'remove of the whole document',
    (op) => op.op === 'remove' && op.path === '',
  ],
  [
    // At the root, fast-json-patch checks the operation without the document,
    // so a move or copy from a place that does not exist yields undefined.
    'move or copy to the root from nowhere',
    (op) => (op.op === 'move' || op.op === 'copy') && op.path === '',
  ],
  [
    // Below a root that is not an object or array, fast-json-patch sets and
    // deletes properties of the scalar itself (which does nothing) or skips its
    // checks (null, 0, "" and false), instead of failing. The root may be a
    // scalar from the start, or be made one by an earlier operation.
    'a scalar at the root',
    (op, doc) => typeof doc !== 'object' || doc === null || (op.path === '' && op.op !== 'test'),
  ],
];

function deviation(doc: JsonValue, patch: unknown[]): string | undefined {
  for (const op of patch) {
    if (typeof op !== 'object' || op === null) continue;
    for (const [why, applies] of deviations) if (applies(op as Record<string, unknown>, doc)) return why;
  }
  return undefined;
}

/** Every pointer into `doc`, and pointers just past its members and items (where `add` may go). */
function pointersOf(doc: JsonValue, path = '', into: string[] = []): string[] {
  into.push(path);
  if (Array.isArray(doc)) {
    doc.forEach((item, index) => pointersOf(item, childPointer(path, index), into));
    into.push(childPointer(path, doc.length), `${path}/-`);
  } else if (typeof doc === 'object' && doc !== null) {
    for (const key of Object.keys(doc)) pointersOf(doc[key], childPointer(path, key), into);
  }
  return into;
}

/** The value at every pointer into `doc`. */
function valuesAt(doc: JsonValue, path = '', into: Record<string, JsonValue> = Object.create(null)): Record<string, JsonValue> {
  into[path] = doc;
  if (Array.isArray(doc)) doc.forEach((item, index) => valuesAt(item, childPointer(path, index), into));
  else if (typeof doc === 'object' && doc !== null) for (const key of Object.keys(doc)) valuesAt(doc[key], childPointer(path, key), into);
  return into;
}

/** Random patches for `doc`: mostly at its own pointers (so many apply), some at made-up or malformed ones. */
function patchFor(doc: JsonValue): fc.Arbitrary<unknown[]> {
  const pointers = pointersOf(doc);
  const pointer = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...pointers) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...pointers), memberName).map(([parent, key]) => childPointer(parent, key)) },
    { weight: 1, arbitrary: fc.constantFrom('x', '/a~2', '/~', 5, null) },
  );
  const value = jsonDocument(2);
  // A `test` that holds, so patches that go on after it are common.
  const holds = (Object.entries(valuesAt(doc)) as Array<[string, JsonValue]>).map(([path, at]) => ({ op: 'test', path, value: at }));
  const operation = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...holds) },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('add', 'replace', 'test'), path: pointer, value }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('remove'), path: pointer }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('move', 'copy'), from: pointer, path: pointer }) },
    // Operations missing what they need, or with no known op.
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('add', 'move', 'merge'), path: pointer }) },
  );
  return fc.array(operation, { minLength: 1, maxLength: 3, size: 'small' });
}

describe('applyPatch against fast-json-patch', () => {
  test('random documents and patches: the same document, or both refuse', () => {
    let compared = 0;
    let applied = 0;
    fc.assert(
      fc.property(
        jsonDocument().chain((doc) => fc.tuple(fc.constant(doc), patchFor(doc))),
        ([doc, patch]) => {
          const mine = ours(doc, patch);
          const other = theirs(doc, patch);
          if ('error' in mine) assert.ok(mine.error instanceof JugglerError, `a typed error, not ${String(mine.error)}`);
          const agree = 'doc' in mine && 'doc' in other ? jsonEqual(mine.doc, other.doc) : 'error' in mine && 'error' in other;
          if (agree) {
            compared++;
            if ('doc' in mine) applied++;
            return;
          }
          if (deviation(doc, patch)) return;
          assert.fail(`disagreement on ${JSON.stringify(doc)} with ${JSON.stringify(patch)}: ours ${'doc' in mine ? JSON.stringify(mine.doc) : String(mine.error)}, fast-json-patch ${'doc' in other ? JSON.stringify(other.doc) : String(other.error)}`);
        },
      ),
      { numRuns: 3000 },
    );
    // The generator must produce both kinds, or the comparison proves little.
    assert.ok(applied > 500 && compared - applied > 500, `${applied} applied and ${compared - applied} refused by both`);
  });

  test('where fast-json-patch departs from RFC 6902, the kit follows the RFC', () => {
    const refuses = (doc: JsonValue, patch: unknown[]) => assert.throws(() => applyPatch(structuredClone(doc), patch), JugglerError);
    // Inherited names are not members.
    refuses({}, [{ op: 'replace', path: '/toString', value: 1 }]);
    refuses({}, [{ op: 'copy', from: '/constructor', path: '/x' }]);
    assert.deepEqual(applyPatch({}, [{ op: 'add', path: '/constructor', value: 1 }]).doc, { constructor: 1 });
    // Array indices: no leading zeros, no empty token.
    refuses([1, 2], [{ op: 'replace', path: '/01', value: 3 }]);
    refuses([1, 2], [{ op: 'remove', path: '/' }]);
    // Malformed pointers.
    refuses({ x: 1 }, [{ op: 'copy', from: 'x', path: '/y' }]);
    refuses({}, [{ op: 'add', path: '/~', value: 1 }]);
    refuses({ '~2': 1 }, [{ op: 'remove', path: '/~2' }]);
    // A move's target index counts after the remove.
    refuses([1, 2], [{ op: 'move', from: '/0', path: '/2' }]);
    refuses([{ a: 1 }, false, [], false], [{ op: 'move', from: '/0', path: '/2/0' }]);
    assert.deepEqual(applyPatch([{ a: 1 }, false, []], [{ op: 'move', from: '/0', path: '/1/0' }]).doc, [false, [{ a: 1 }]]);
    assert.deepEqual(applyPatch([1, 2], [{ op: 'move', from: '/0', path: '/1' }]).doc, [2, 1]);
    // No move into its own child.
    refuses({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/c' }]);
    // The document cannot be removed, and operations below a scalar root fail.
    refuses({ a: 1 }, [{ op: 'remove', path: '' }]);
    refuses({ a: 1 }, [{ op: 'copy', from: '/b', path: '' }]);
    refuses(null, [{ op: 'add', path: '/a', value: 1 }]);
    refuses(0, [{ op: 'remove', path: '/a' }]);
    refuses('text', [{ op: 'add', path: '/a', value: 1 }]);
  });
});

/**
 * fast-json-patch refuses, by design, paths through `__proto__` or through
 * `constructor` then `prototype`, so the diff's documents go without them.
 */
function fastJsonPatchBans(value: JsonValue, parentKey = ''): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => fastJsonPatchBans(item));
  return Object.keys(value).some((key) => key === '__proto__' || (key === 'prototype' && parentKey === 'constructor') || fastJsonPatchBans(value[key], key));
}

/** An edit of one container of a document: what a live app does to its state between two sends. */
const edit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'remove', 'move', 'shift', 'set', 'member'),
  index: fc.nat(),
  to: fc.nat(),
  count: fc.integer({ min: 1, max: 4 }),
  key: memberName.filter((key) => key !== '__proto__'),
  value: jsonDocument(2).filter((value) => !JSON.stringify(value).includes('"__proto__"')),
});

type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

/** The item a window appends: the next record after the last one (same fields, next id), the next number, or `value`. */
function next(array: JsonValue[], value: JsonValue, offset: number): JsonValue {
  const last = array.at(-1);
  if (typeof last === 'number') return last + 1 + offset;
  if (typeof last === 'object' && last !== null && !Array.isArray(last) && typeof last.id === 'number') return { ...last, id: last.id + 1 + offset };
  return structuredClone(value);
}

/** `doc` changed by `edits`, each on the container it picks among those of the document as it then is. */
function edited(doc: JsonValue, edits: Edit[]): JsonValue {
  let result = structuredClone(doc);
  for (const e of edits) {
    const containers: Array<JsonValue[] | Record<string, JsonValue>> = [];
    const collect = (node: JsonValue) => {
      if (typeof node !== 'object' || node === null) return;
      containers.push(node);
      for (const child of Array.isArray(node) ? node : Object.values(node)) collect(child);
    };
    collect(result);
    if (containers.length === 0) {
      result = structuredClone(e.value);
      continue;
    }
    // Inserts, removes, moves and shifts go to arrays when there are any.
    const arrays = containers.filter((container) => Array.isArray(container));
    const candidates = e.kind !== 'set' && e.kind !== 'member' && arrays.length > 0 ? arrays : containers;
    const target = candidates[e.at % candidates.length];
    const value = structuredClone(e.value);
    if (!Array.isArray(target)) {
      const keys = Object.keys(target);
      if (e.kind === 'remove' && keys.length > 0) delete target[keys[e.index % keys.length]];
      else Object.defineProperty(target, e.kind === 'set' && keys.length > 0 ? keys[e.index % keys.length] : e.key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const at = e.index % (target.length + 1);
    switch (e.kind) {
      case 'insert':
        target.splice(at, 0, ...Array.from({ length: e.count }, () => structuredClone(value)));
        break;
      case 'remove':
        target.splice(at, e.count);
        break;
      case 'move':
        if (target.length > 0) target.splice(e.to % target.length, 0, ...target.splice(at % target.length, 1));
        break;
      case 'shift':
        // A live chart's window: drop from the front, append at the end.
        target.splice(0, e.count);
        target.push(...Array.from({ length: e.to % 4 }, (_, i) => next(target, value, i)));
        break;
      default:
        if (at < target.length) target[at] = value;
        else target.push(value);
    }
  }
  return result;
}

/**
 * Documents for the diff, some with what live apps hold: series of numbers and
 * windows of records (an id, and fields shared with their neighbours) long
 * enough for shifts and moves to matter.
 */
const records = fc
  .tuple(fc.string({ minLength: 30, maxLength: 200 }), fc.integer({ min: 2, max: 8 }), fc.nat(3))
  .map(([label, length, kinds]) => Array.from({ length }, (_, id) => ({ id, label, kind: id % (kinds + 1) })) as JsonValue[]);
const pair = fc
  .tuple(jsonDocument(3), fc.array(fc.array(fc.integer({ min: -5, max: 50 }), { minLength: 5, maxLength: 30 }), { maxLength: 2 }), fc.array(records, { maxLength: 2 }))
  .map(([doc, series, windows]) => (series.length + windows.length > 0 ? { doc, series, windows } : doc) as JsonValue)
  .chain((a) => fc.tuple(fc.constant(a), fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => edited(a, edits))))
  .filter(([a, b]) => !fastJsonPatchBans(a) && !fastJsonPatchBans(b));

describe('diff against fast-json-patch', () => {
  test('a window of records that differ from their neighbours in one field goes item by item, which is smaller', () => {
    const label = 'a label shared by every record, much longer than a replace of one field '.repeat(4);
    const a = Array.from({ length: 6 }, (_, id) => ({ id, label }));
    const b = [...a.slice(1).map((record) => ({ ...record })), { id: 6, label }];
    const patch = diff(a, b);
    assert.deepEqual(patch, [1, 2, 3, 4, 5, 6].map((id, index) => ({ op: 'add', path: `/${index}/id`, value: id })));
    assert.ok(JSON.stringify(patch).length <= JSON.stringify(jsonPatch.compare(a, b)).length);
    // Records that differ in everything still slide as a remove and an add.
    const c = Array.from({ length: 6 }, (_, id) => ({ id, label: `${label} ${id}` }));
    assert.deepEqual(diff(c, [...c.slice(1), { id: 6, label }]), [
      { op: 'remove', path: '/0' },
      { op: 'add', path: '/5', value: { id: 6, label } },
    ]);
  });

  test('applying our diff of A to B with fast-json-patch gives B, and it is never longer than compare(A, B)', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const patch = JSON.parse(JSON.stringify(diff(a, b)));
        assert.ok(jsonEqual(jsonPatch.applyPatch(structuredClone(a), patch, true).newDocument, b));
        // compare() takes two objects or arrays; for anything else its patch does not give B, and its length says nothing.
        if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(a) !== Array.isArray(b)) return;
        const theirs = jsonPatch.compare(a, b);
        assert.ok(JSON.stringify(patch).length <= JSON.stringify(theirs).length, `ours ${JSON.stringify(patch)}\ncompare ${JSON.stringify(theirs)}\nfor ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
      }),
      { numRuns: 2000 },
    );
  });
});
