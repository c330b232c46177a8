import { setOwn, type JsonObject, type JsonValue } from './json.js';

/**
 * An estimate, in bytes, of the memory a JSON value takes in a JavaScript
 * engine, set from what V8 (Node, Chromium) was measured to hold for each kind
 * of value, and rounded up:
 *
 * - 10 per value (the slot that holds it, with the spare room a long array
 *   keeps), plus 16 for a number that is not a small integer (a boxed double);
 * - 24 plus its length for a string (header and padding);
 * - 32 for an array, 56 for an object (headers and spare room);
 * - 80 plus the length of its name for each object member: an object of many
 *   members keeps them in a hash table, and a name is a string of its own.
 *
 * Records that share member names take less (their names and layout are
 * shared), so the estimate errs high for them; it stays at or above what an
 * engine holds for wide objects, empty containers and short strings, the
 * shapes that cost the most memory per byte of JSON. JSON text undercounts
 * every one of them (`{}` is 2 characters and 64 bytes in memory).
 *
 * Walks with a stack of its own, so any value JSON.parse returns is safe, and
 * stops as soon as the estimate passes `limit` (returning what it counted so far).
 */
export function jsonSize(value: JsonValue, limit = Infinity): number {
  return walkJson(value, { maxBytes: limit }).bytes;
}

/** What one member name adds to an object, beyond its value. */
export const memberSize = (key: string): number => memberCost + key.length;

const valueSize = 10;
const boxedNumberSize = 16;
const stringSize = 24;
const arraySize = 32;
const objectSize = 56;
const memberCost = 80;

function scalarSize(value: JsonValue): number {
  if (typeof value === 'string') return valueSize + stringSize + value.length;
  if (typeof value === 'number' && !isSmallInteger(value)) return valueSize + boxedNumberSize;
  return valueSize;
}

/** Integers an engine keeps unboxed, in the slot itself (V8's 31-bit "Smi" range, -0 excluded). */
function isSmallInteger(value: number): boolean {
  return (value | 0) === value && !Object.is(value, -0);
}

/** Bounds of a {@link walkJson}: it stops as soon as one is passed. */
export interface WalkBounds {
  /** Most work to do, in the units of {@link JsonWalk.work}. */
  maxWork?: number;
  /** Most bytes (as {@link jsonSize} estimates them) to count. */
  maxBytes?: number;
  /** Deepest nesting of containers allowed, the value itself at depth 1 (when it is a container). */
  maxDepth?: number;
  /** Build a deep copy as the walk goes (nothing shared with the value but strings, which are immutable). */
  copy?: boolean;
}

/** What a {@link walkJson} found. */
export interface JsonWalk {
  /** The estimated size of what was walked: all of the value unless the walk stopped. */
  bytes: number;
  /**
   * The work done, weighted by what each value costs to visit (a shifted array
   * item is one unit, about 2 ns): see the costs below, times 3 for a copy.
   */
  work: number;
  /** The bound that stopped the walk, if one did; `bytes`, `work` and `copy` are then partial. */
  stopped?: 'work' | 'bytes' | 'depth';
  /** The deep copy, when asked for. */
  copy?: JsonValue;
}

// Work per value visited, measured in V8 (about 4 ns a unit): a container
// costs an allocation or a lookup of its keys; a member of a wide object (kept
// in a hash table, whose keys must be sorted to be listed) costs far more than
// one of a record.
const containerWork = 64;
const itemWork = 2;
const memberWork = 32;
const wideMemberWork = 256;
/** Objects wider than this keep their members in a hash table. */
const wideObject = 64;
/** Copying allocates what it visits: about 3 times the walk. */
const copyFactor = 3;

/**
 * One walk over a JSON value that measures its size, counts its work, checks
 * its depth and, when asked, copies it, stopping at the first bound passed, so
 * its cost is bounded by `maxWork` whatever the value holds. A copy built by
 * walking allocates only what it keeps; a JSON round trip would first build
 * the whole text.
 */
export function walkJson(value: JsonValue, bounds: WalkBounds = {}): JsonWalk {
  const { maxBytes = Infinity, maxDepth = Infinity, copy = false } = bounds;
  const factor = copy ? copyFactor : 1;
  const maxWork = (bounds.maxWork ?? Infinity) / factor;
  if (typeof value !== 'object' || value === null) return { bytes: scalarSize(value), work: itemWork * factor, copy: value };
  // A container's work is counted when it is found, before its copy is made,
  // so a walk that runs out allocates no more than its work allows.
  const result: JsonWalk = { bytes: 0, work: containerWork };
  const root = copy ? emptyLike(value) : undefined;
  result.copy = root;
  // Parallel stacks: the container to walk, its copy, and its depth.
  const sources: Array<JsonValue[] | JsonObject> = [value];
  const targets: Array<JsonValue[] | JsonObject | undefined> = [root];
  const depths: number[] = [1];
  while (sources.length > 0) {
    const node = sources.pop()!;
    const target = targets.pop();
    const depth = depths.pop()!;
    if (depth > maxDepth) return stop(result, 'depth', factor);
    if (Array.isArray(node)) {
      result.bytes += valueSize + arraySize;
      result.work += node.length * itemWork;
      if (result.work > maxWork) return stop(result, 'work', factor);
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item === 'object' && item !== null) {
          result.work += containerWork;
          if (result.work > maxWork) return stop(result, 'work', factor);
          const child = target ? emptyLike(item) : undefined;
          if (target) (target as JsonValue[]).push(child!);
          sources.push(item);
          targets.push(child);
          depths.push(depth + 1);
        } else {
          result.bytes += scalarSize(item);
          if (target) (target as JsonValue[]).push(item);
        }
      }
    } else {
      result.bytes += valueSize + objectSize;
      result.work += containerWork; // listing the keys
      if (result.work > maxWork) return stop(result, 'work', factor);
      const keys = Object.keys(node);
      result.work += keys.length * (keys.length > wideObject ? wideMemberWork : memberWork);
      if (result.work > maxWork) return stop(result, 'work', factor);
      for (const key of keys) {
        const item = node[key];
        result.bytes += memberSize(key);
        if (typeof item === 'object' && item !== null) {
          result.work += containerWork;
          if (result.work > maxWork) return stop(result, 'work', factor);
          const child = target ? emptyLike(item) : undefined;
          if (target) setOwn(target as JsonObject, key, child!);
          sources.push(item);
          targets.push(child);
          depths.push(depth + 1);
        } else {
          result.bytes += scalarSize(item);
          if (target) setOwn(target as JsonObject, key, item);
        }
      }
    }
    if (result.bytes > maxBytes) return stop(result, 'bytes', factor);
  }
  result.work *= factor;
  return result;
}

function emptyLike(value: JsonValue[] | JsonObject): JsonValue[] | JsonObject {
  return Array.isArray(value) ? [] : {};
}

function stop(result: JsonWalk, bound: 'work' | 'bytes' | 'depth', factor: number): JsonWalk {
  result.stopped = bound;
  result.work *= factor;
  return result;
}
