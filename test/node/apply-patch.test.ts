import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyPatch } from '../../src/core/apply-patch.js';
import { diff } from '../../src/core/diff.js';
import { jsonSize } from '../../src/core/json-size.js';
import { JugglerError, type JugglerErrorCode } from '../../src/core/errors.js';
import type { JsonValue } from '../../src/core/json.js';

const apply = (doc: JsonValue, patch: unknown) => applyPatch(structuredClone(doc), patch);

function assertFails(doc: JsonValue, patch: unknown, code: JugglerErrorCode) {
  const copy = structuredClone(doc);
  const before = JSON.stringify(copy);
  assert.throws(() => applyPatch(copy, patch), (e: unknown) => e instanceof JugglerError && e.code === code);
  assert.equal(JSON.stringify(copy), before, 'a failed patch leaves the document as it was');
}

describe('applyPatch: the six operations per RFC 6902', () => {
  test('add sets object members, inserts into arrays, appends with "-", replaces the root', () => {
    assert.deepEqual(apply({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]).doc, { foo: 'bar', baz: 'qux' });
    assert.deepEqual(apply({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }]).doc, { foo: ['bar', 'qux', 'baz'] });
    assert.deepEqual(apply({ foo: [1] }, [{ op: 'add', path: '/foo/-', value: ['x'] }]).doc, { foo: [1, ['x']] });
    assert.deepEqual(apply({ foo: [1] }, [{ op: 'add', path: '/foo/1', value: 2 }]).doc, { foo: [1, 2] });
    assert.deepEqual(apply({ a: 1 }, [{ op: 'add', path: '/a', value: 2 }]).doc, { a: 2 });
    assert.deepEqual(apply(null, [{ op: 'add', path: '', value: { a: 1 } }]).doc, { a: 1 });
    assert.deepEqual(apply({}, [{ op: 'add', path: '/', value: 1 }]).doc, { '': 1 });
    assert.deepEqual(apply({}, [{ op: 'add', path: '/a~1b', value: 1 }]).doc, { 'a/b': 1 });
  });

  test('add fails on a missing parent or an index past the end', () => {
    assertFails({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'patch-failed');
    assertFails({ foo: [1] }, [{ op: 'add', path: '/foo/2', value: 1 }], 'patch-failed');
    assertFails({ foo: [1] }, [{ op: 'add', path: '/foo/01', value: 1 }], 'patch-failed');
    assertFails({ foo: 1 }, [{ op: 'add', path: '/foo/x', value: 1 }], 'patch-failed');
  });

  test('remove deletes members and array items, and fails on what is not there', () => {
    assert.deepEqual(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }]).doc, { foo: 'bar' });
    assert.deepEqual(apply({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }]).doc, { foo: ['bar', 'baz'] });
    assertFails({ foo: 1 }, [{ op: 'remove', path: '/bar' }], 'patch-failed');
    assertFails({ foo: [1] }, [{ op: 'remove', path: '/foo/1' }], 'patch-failed');
    assertFails({ foo: [1] }, [{ op: 'remove', path: '/foo/-' }], 'patch-failed');
  });

  test('replace needs an existing target', () => {
    assert.deepEqual(apply({ baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }]).doc, { baz: 'boo', foo: 'bar' });
    assert.deepEqual(apply([1, 2], [{ op: 'replace', path: '/1', value: 3 }]).doc, [1, 3]);
    assert.deepEqual(apply(null, [{ op: 'replace', path: '', value: [] }]).doc, []);
    assertFails({ foo: 1 }, [{ op: 'replace', path: '/bar', value: 1 }], 'patch-failed');
    assertFails([1], [{ op: 'replace', path: '/1', value: 1 }], 'patch-failed');
  });

  test('move takes a value from one place to another', () => {
    assert.deepEqual(
      apply({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }]).doc,
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    );
    assert.deepEqual(apply({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }]).doc, {
      foo: ['all', 'cows', 'eat', 'grass'],
    });
    assert.deepEqual(apply({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }]).doc, { a: 1 });
    assertFails({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], 'patch-failed');
    assertFails({ a: 1 }, [{ op: 'move', from: '/x', path: '/y' }], 'patch-failed');
  });

  test('copy duplicates a value without aliasing it', () => {
    const { doc } = apply({ a: { b: [1] } }, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'add', path: '/c/b/-', value: 2 },
    ]);
    assert.deepEqual(doc, { a: { b: [1] }, c: { b: [1, 2] } });
    assertFails({ a: 1 }, [{ op: 'copy', from: '/x', path: '/y' }], 'patch-failed');
  });

  test('test compares structurally and fails the whole patch when different', () => {
    assert.deepEqual(apply({ a: [1, { b: 'c' }] }, [{ op: 'test', path: '/a', value: [1, { b: 'c' }] }]).doc, { a: [1, { b: 'c' }] });
    assert.deepEqual(apply(null, [{ op: 'test', path: '', value: null }, { op: 'replace', path: '', value: 1 }]).doc, 1);
    assertFails({ a: 1 }, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 1 }], 'patch-failed');
    assertFails({ a: 1 }, [{ op: 'test', path: '/a', value: '1' }], 'patch-failed');
    assertFails({ a: [1, 2] }, [{ op: 'test', path: '/a', value: [2, 1] }], 'patch-failed');
    assertFails({}, [{ op: 'test', path: '/a', value: null }], 'patch-failed');
  });
});

describe('applyPatch: atomicity, identity and changed paths', () => {
  test('a failing operation undoes every earlier one', () => {
    const doc = { list: [1, 2, 3], obj: { a: 1 }, keep: true };
    assertFails(
      doc,
      [
        { op: 'add', path: '/list/0', value: 0 },
        { op: 'remove', path: '/list/3' },
        { op: 'replace', path: '/obj/a', value: 2 },
        { op: 'add', path: '/obj/b', value: 3 },
        { op: 'remove', path: '/keep' },
        { op: 'move', from: '/obj', path: '/moved' },
        { op: 'copy', from: '/moved', path: '/copied' },
        { op: 'replace', path: '', value: 'gone' },
        { op: 'test', path: '', value: 'not this' },
      ],
      'patch-failed',
    );
  });

  test('untouched subtrees keep their identity', () => {
    const untouched = { deep: [1, 2, 3] };
    const doc = { a: untouched, b: { c: 1 } };
    const result = applyPatch(doc, [{ op: 'replace', path: '/b/c', value: 2 }]);
    assert.equal((result.doc as typeof doc).a, untouched);
  });

  test('reports changed paths: members, appends, and whole arrays when indices shift', () => {
    const paths = (doc: JsonValue, patch: unknown) => apply(doc, patch).paths;
    assert.deepEqual(paths({ a: 1 }, [{ op: 'replace', path: '/a', value: 2 }]), ['/a']);
    assert.deepEqual(paths({ l: [1] }, [{ op: 'add', path: '/l/-', value: 2 }]), ['/l/1']);
    assert.deepEqual(paths({ l: [1, 2] }, [{ op: 'remove', path: '/l/1' }]), ['/l/1']);
    assert.deepEqual(paths({ l: [1, 2] }, [{ op: 'remove', path: '/l/0' }]), ['/l']);
    assert.deepEqual(paths({ l: [1, 2] }, [{ op: 'add', path: '/l/0', value: 0 }]), ['/l']);
    assert.deepEqual(paths({ a: 1 }, [{ op: 'move', from: '/a', path: '/b' }]), ['/a', '/b']);
    assert.deepEqual(paths({ a: 1 }, [{ op: 'test', path: '/a', value: 1 }]), []);
    assert.deepEqual(paths(null, [{ op: 'replace', path: '', value: 1 }]), ['']);
  });
});

describe('applyPatch: hostile patches', () => {
  test('malformed patches are invalid-patch', () => {
    for (const bad of [{}, 'x', null, [null], [1], [{ path: '/a' }], [{ op: 'add', path: '/a' }], [{ op: 'nope', path: '/a' }], [{ op: 'add', value: 1 }], [{ op: 'move', path: '/a' }], [{ op: 'add', path: 3, value: 1 }]]) {
      assertFails({ a: 1 }, bad, 'invalid-patch');
    }
  });

  test('paths through __proto__, constructor or prototype reach only own members, never a prototype', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);
    // Members that are not there fail as any missing member does: the inherited ones are not found.
    for (const attack of [
      [{ op: 'add', path: '/__proto__/polluted', value: 'yes' }],
      [{ op: 'replace', path: '/constructor/prototype/polluted', value: 'yes' }],
      [{ op: 'add', path: '/constructor/prototype/polluted', value: 'yes' }],
      [{ op: 'copy', from: '/__proto__', path: '/x' }],
      [{ op: 'copy', from: '/a/constructor', path: '/x' }],
      [{ op: 'move', from: '/a/__proto__', path: '/x' }],
      [{ op: 'remove', path: '/a/constructor' }],
      [{ op: 'remove', path: '/__proto__' }],
      [{ op: 'test', path: '/a/constructor', value: {} }],
      [{ op: 'replace', path: '/__proto__', value: { polluted: 'yes' } }],
    ]) {
      assertFails({ a: {} }, attack, 'patch-failed');
    }
    // Adding them makes own members, which are data like any other.
    const { doc } = apply({ a: {} }, [
      { op: 'add', path: '/a/__proto__', value: { polluted: 'yes' } },
      { op: 'move', from: '/a', path: '/prototype' },
      { op: 'add', path: '/constructor', value: { prototype: { polluted: 'yes' } } },
    ]);
    assert.equal(JSON.stringify(doc), '{"prototype":{"__proto__":{"polluted":"yes"}},"constructor":{"prototype":{"polluted":"yes"}}}');
    const prototype = (doc as Record<string, object>).prototype;
    assert.equal(Object.getPrototypeOf(prototype), Object.prototype);
    assert.equal((prototype as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeKeys);
  });

  test('a failed patch that had set __proto__ rolls back without touching the prototype', () => {
    const doc = JSON.parse('{"a": {"__proto__": 1}, "b": {}}');
    assertFails(doc, [{ op: 'add', path: '/b/__proto__', value: { polluted: 'yes' } }, { op: 'remove', path: '/a/__proto__' }, { op: 'remove', path: '/nope' }], 'patch-failed');
    const copy = structuredClone(doc);
    assert.throws(() => applyPatch(copy, [{ op: 'add', path: '/b/__proto__', value: { polluted: 'yes' } }, { op: 'remove', path: '/a/__proto__' }, { op: 'test', path: '/nope', value: 1 }]));
    assert.equal(Object.getPrototypeOf(copy.a), Object.prototype);
    assert.equal(Object.getPrototypeOf(copy.b), Object.prototype);
    assert.equal(JSON.stringify(copy), '{"a":{"__proto__":1},"b":{}}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a "__proto__" key inside a value stays plain data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    const { doc } = apply({}, [{ op: 'add', path: '/x', value }, { op: 'copy', from: '/x', path: '/y' }]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf((doc as Record<string, object>).y), Object.prototype);
  });
});

describe('applyPatch: the size of the document, tracked patch by patch', () => {
  const json = fc
    .jsonValue({ maxDepth: 4 })
    .map((v) => JSON.stringify(v))
    .filter((text) => !/"(__proto__|constructor|prototype)":/.test(text))
    .map((text) => JSON.parse(text) as JsonValue);
  const sized = (doc: JsonValue, patch: unknown) => applyPatch(doc, patch, { maxDataSize: Infinity, dataSize: jsonSize(doc) });

  test('equals a fresh measure after any patch a diff yields', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const result = sized(a, JSON.parse(JSON.stringify(diff(a, b))));
        assert.equal(result.dataSize, jsonSize(result.doc));
      }),
      { numRuns: 1000 },
    );
  });

  test('equals a fresh measure after moves, copies, and adds over members', () => {
    const patches: unknown[] = [
      [{ op: 'move', from: '/a/0', path: '/a/-' }],
      [{ op: 'move', from: '/a', path: '/longer name' }],
      [{ op: 'move', from: '/o', path: '/a/1' }],
      [{ op: 'move', from: '/o/x', path: '/a' }],
      [{ op: 'move', from: '/o', path: '' }],
      [{ op: 'copy', from: '/o', path: '/a/0' }],
      [{ op: 'copy', from: '/a', path: '/o/x' }],
      [{ op: 'add', path: '/o', value: 'short' }],
      [{ op: 'remove', path: '/a/1' }, { op: 'replace', path: '/o/x', value: [1, 2] }],
    ];
    for (const patch of patches) {
      const result = sized({ a: [1, 'two', { three: 3 }], o: { x: 'text', y: [null] } }, patch);
      assert.equal(result.dataSize, jsonSize(result.doc), JSON.stringify(patch));
    }
  });

  test('a patch past the limit fails whole, and moves inside the document do not count twice', () => {
    const doc = { a: 'x'.repeat(1000), b: [] as JsonValue[] };
    const limit = jsonSize(doc) + 100;
    assert.throws(() => applyPatch(doc, [{ op: 'copy', from: '/a', path: '/c' }], { maxDataSize: limit }), { code: 'data-too-large' });
    assert.deepEqual(Object.keys(doc), ['a', 'b']);
    const moved = applyPatch(doc, [{ op: 'move', from: '/a', path: '/b/0' }, { op: 'move', from: '/b/0', path: '/a' }], { maxDataSize: limit });
    assert.equal(moved.dataSize, jsonSize(doc));
  });
});
