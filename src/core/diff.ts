import { childPointer } from './json-pointer.js';
import { hasOwn, isPlainObject, jsonEqual, type JsonObject, type JsonValue } from './json.js';
import type { Operation } from './operations.js';

/**
 * Computes an RFC 6902 patch that turns `from` into `to`, for the place at
 * `path`. Subtrees that are the same object in both are skipped without being
 * walked, so diffing a document against a copy that shares most of it costs what
 * changed. Arrays are diffed by trimming the common head and tail and by
 * recognising a shifted window, so appending to or sliding a long array yields a
 * handful of operations instead of one per item.
 *
 * A changed object member is set with `add`, which RFC 6902 defines to replace
 * an existing member: some appliers refuse `replace` on certain member names
 * (Python's jsonpatch on `-`), and every applier takes `add`. Array items and
 * the whole document keep `replace`.
 *
 * Operation values are references into `to`; serialise them before `to` changes.
 */
export function diff(from: JsonValue, to: JsonValue, path = ''): Operation[] {
  return diffChanges(from, to, path).ops;
}

/** A patch and the places it changes, reported as {@link applyPatch} reports them. */
export interface Changes {
  ops: Operation[];
  paths: string[];
}

/** Like {@link diff}, and also says which paths the patch changes. */
export function diffChanges(from: JsonValue, to: JsonValue, path = ''): Changes {
  const changes: Changes = { ops: [], paths: [] };
  diffInto(from, to, path, 'replace', changes);
  return changes;
}

/** `set` is the operation that puts a new value at `path`: `add` for an object member, else `replace`. */
function diffInto(from: JsonValue, to: JsonValue, path: string, set: 'add' | 'replace', changes: Changes): void {
  if (from === to) return;
  if (Array.isArray(from) && Array.isArray(to)) return diffArrays(from, to, path, changes);
  if (isPlainObject(from) && isPlainObject(to)) {
    for (const key of Object.keys(from)) {
      if (!present(to, key) && present(from, key)) push(changes, { op: 'remove', path: childPointer(path, key) });
    }
    for (const key of Object.keys(to)) {
      if (!present(to, key)) continue;
      const keyPath = childPointer(path, key);
      if (present(from, key)) diffInto(from[key], to[key], keyPath, 'add', changes);
      else push(changes, { op: 'add', path: keyPath, value: to[key] });
    }
    return;
  }
  if (!jsonEqual(from, to)) push(changes, { op: set, path, value: to });
}

function diffArrays(from: JsonValue[], to: JsonValue[], path: string, changes: Changes): void {
  // Common head and tail cost nothing to send.
  let head = 0;
  const shortest = Math.min(from.length, to.length);
  while (head < shortest && jsonEqual(from[head], to[head])) head++;
  let tail = 0;
  while (tail < shortest - head && jsonEqual(from[from.length - 1 - tail], to[to.length - 1 - tail])) tail++;
  const run: Run = { head, fromEnd: from.length - tail, toEnd: to.length - tail, tail };

  const shift = windowShift(from, to, head, run.fromEnd, run.toEnd);
  if (!shift) {
    itemByItem(from, to, path, run, changes, Infinity);
    return;
  }
  // Items dropped at the front of the changed run, then new items after the kept ones.
  const shifted: Operation[] = [];
  for (let i = 0; i < shift.dropped; i++) shifted.push({ op: 'remove', path: childPointer(path, head) });
  for (let i = run.toEnd - shift.added; i < run.toEnd; i++) shifted.push({ op: 'add', path: childPointer(path, i), value: to[i] });
  // Records that differ from their neighbours in a field or two (a window of
  // readings with ids) can be smaller to send item by item: a few small
  // replaces instead of whole new records. Trying costs at most the shift's size.
  const byItem: Changes = { ops: [], paths: [] };
  // (Loops, not push(...spread): a long run would pass the engine's argument limit.)
  if (itemByItem(from, to, path, run, byItem, serialisedLength(shifted))) {
    for (const op of byItem.ops) changes.ops.push(op);
    for (const changed of byItem.paths) changes.paths.push(changed);
  } else {
    for (const op of shifted) changes.ops.push(op);
    changes.paths.push(path);
  }
}

/** The part of two arrays that differs: `from[head..fromEnd)` became `to[head..toEnd)`, and `tail` items follow. */
interface Run {
  head: number;
  fromEnd: number;
  toEnd: number;
  tail: number;
}

/**
 * Item by item over the changed run, then whatever one side has more of.
 * Gives up, returning false, once the operations reach `budget` bytes of JSON.
 */
function itemByItem(from: JsonValue[], to: JsonValue[], path: string, run: Run, changes: Changes, budget: number): boolean {
  const { ops } = changes;
  const { head, fromEnd, toEnd, tail } = run;
  let bytes = 0;
  let counted = ops.length;
  const withinBudget = (): boolean => {
    if (budget === Infinity) return true;
    for (; counted < ops.length; counted++) bytes += JSON.stringify(ops[counted]).length + 1;
    return bytes < budget;
  };
  const common = Math.min(fromEnd, toEnd);
  for (let i = head; i < common; i++) {
    diffInto(from[i], to[i], childPointer(path, i), 'replace', changes);
    if (!withinBudget()) return false;
  }
  const resized = ops.length;
  for (let i = fromEnd - 1; i >= toEnd; i--) ops.push({ op: 'remove', path: childPointer(path, i) });
  for (let i = fromEnd; i < toEnd; i++) ops.push({ op: 'add', path: childPointer(path, i), value: to[i] });
  if (!withinBudget()) return false;
  if (ops.length === resized) return true;
  // Growing or shrinking before the tail moves every later index: the array changed.
  if (tail > 0) changes.paths.push(path);
  else for (let i = resized; i < ops.length; i++) changes.paths.push(ops[i].path);
  return true;
}

/** Bytes of JSON the operations take in a patch, each with its separating comma. */
function serialisedLength(ops: readonly Operation[]): number {
  let bytes = 0;
  for (const op of ops) bytes += JSON.stringify(op).length + 1;
  return bytes;
}

/** A member as JSON sees it: one whose value is `undefined` is not there. */
function present(object: JsonObject, key: string): boolean {
  return hasOwn(object, key) && object[key] !== undefined;
}

function push(changes: Changes, op: Operation): void {
  changes.ops.push(op);
  changes.paths.push(op.path);
}

/**
 * Looks for `to[head..toEnd)` being `from[head..fromEnd)` with `dropped` items
 * removed from its front and `added` items appended: the sliding window of a
 * live chart. Only worth it when that is fewer operations than item by item.
 */
function windowShift(
  from: JsonValue[],
  to: JsonValue[],
  head: number,
  fromEnd: number,
  toEnd: number,
): { dropped: number; added: number } | null {
  const fromRun = fromEnd - head;
  const toRun = toEnd - head;
  if (fromRun === 0 || toRun === 0) return null;
  // Try the first few places where the new run's first item sits in the old run.
  let candidates = maxShiftCandidates;
  for (let i = head + 1; i < fromEnd && candidates > 0; i++) {
    if (!jsonEqual(from[i], to[head])) continue;
    candidates--;
    const dropped = i - head;
    const kept = fromRun - dropped;
    if (kept > toRun || !runsEqual(from, head + dropped, to, head, kept)) continue;
    const added = toRun - kept;
    return dropped + added < Math.max(fromRun, toRun) ? { dropped, added } : null;
  }
  return null;
}

const maxShiftCandidates = 8;

function runsEqual(a: JsonValue[], aStart: number, b: JsonValue[], bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (!jsonEqual(a[aStart + i], b[bStart + i])) return false;
  return true;
}
