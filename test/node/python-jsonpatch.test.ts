/**
 * The patches the kit sends, applied by Python's jsonpatch (the library of the
 * Python reference peers), which refuses `replace` on an object member named
 * `-` even in patches it made itself. Runs where `python3` with `jsonpatch`
 * is installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { diff } from '../../src/core/diff.js';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import { openPeer } from '../support/fake-transport.js';
import { jsonDocument } from '../support/json-arbitrary.js';

const python = spawnSync('python3', ['-c', 'import jsonpatch'], { encoding: 'utf8' });
const skip = python.status === 0 ? false : 'python3 with the jsonpatch package is not installed';

/** Applies each patch to its document in one Python process; each result is the document or the error's text. */
function applyInPython(cases: Array<{ doc: JsonValue; patch: unknown }>): Array<{ doc?: JsonValue; error?: string }> {
  const script = `
import json, sys, jsonpatch
out = []
for case in json.load(sys.stdin):
    try:
        out.append({"doc": jsonpatch.apply_patch(case["doc"], case["patch"])})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
json.dump(out, sys.stdout)
`;
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

describe('patches the kit produces, applied by Python jsonpatch', { skip }, () => {
  test('recorded writes and whole-document diffs with a member named "-"', () => {
    const start = { '-': 1, o: { '-': { x: 1 } }, l: [1, { '-': 2 }] };
    const state = new LocalState({ delay: 'manual', data: structuredClone(start) });
    const { peer, transport } = openPeer({ localState: state });
    transport.frames.length = 0;
    peer.setAt('/-', 2);
    peer.setAt('/o/-/x', 2);
    peer.setAt('/l/1/-', 3);
    peer.localData = { '-': 5, o: { '-': 4 }, l: [6, { '-': 3 }] };
    peer.flush();
    const [result] = applyInPython([{ doc: start, patch: (transport.patches as unknown[][]).flat() }]);
    assert.deepEqual(result, { doc: peer.localData });
  });

  test('the diff of random documents applies there and gives the new document', () => {
    const json = jsonDocument();
    const pairs = fc.sample(fc.tuple(json, json), { numRuns: 500, seed: 6902 });
    const results = applyInPython(pairs.map(([a, b]) => ({ doc: a, patch: diff(a, b) })));
    pairs.forEach(([a, b], i) => assert.deepEqual(results[i], { doc: b }, `${JSON.stringify(a)} → ${JSON.stringify(b)}`));
  });
});
