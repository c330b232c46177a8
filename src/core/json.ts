import { arrayIndex } from './json-pointer.js';

/** Any value JSON can carry. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A JSON object or array: the values a pointer can walk into. */
export type JsonContainer = JsonValue[] | JsonObject;

export function isContainer(value: unknown): value is JsonContainer {
  return typeof value === 'object' && value !== null;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A new array or object with the same members, or the value itself when it is
 * not a container. Data is patched in place, so a component that compares by
 * identity (Lit, React) needs a new container to notice that one changed.
 */
export function freshContainer<T extends JsonValue | undefined>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  return isPlainObject(value) ? ({ ...(value as JsonObject) } as T) : value;
}

export const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Sets an own member, whatever its name. Assigning to `__proto__` would change
 * the object's prototype instead (unless it already has an own `__proto__`), so
 * that one key is defined, as `JSON.parse` does; every other name assigns,
 * which is as fast as it gets and creates an own member (`constructor` too).
 */
export function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/**
 * Structural equality of two JSON values. Identical references stop the walk,
 * so comparing a document with one that shares most of its subtrees costs what
 * differs, not what the documents hold.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!hasOwn(b, key) || !jsonEqual((a as JsonObject)[key], (b as JsonObject)[key])) return false;
  }
  return true;
}

/**
 * True when `value` nests deeper than `limit` containers. Walks with a stack of
 * its own rather than recursing, so neither the value (JSON.parse builds
 * values of any depth) nor a large limit can exhaust the call stack, and stops
 * as soon as the limit is passed.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit < 1) return true;
  // Each container with its depth.
  const stack: unknown[] = [value, 1];
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const node = stack.pop() as object;
    if (Array.isArray(node)) {
      for (const child of node) {
        if (typeof child !== 'object' || child === null) continue;
        if (depth >= limit) return true;
        stack.push(child, depth + 1);
      }
      continue;
    }
    // `for…in`, own members only, rather than Object.values: no array per object (a DATA frame is mostly small objects).
    for (const key in node) {
      const child = (node as JsonObject)[key];
      if (typeof child !== 'object' || child === null || !hasOwn(node, key)) continue;
      if (depth >= limit) return true;
      stack.push(child, depth + 1);
    }
  }
  return false;
}

/**
 * A short description of a value for an error message. Hostile values can be
 * megabytes wide or too deep to serialise, so containers are named, not shown,
 * and long strings are cut.
 */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value !== 'string') return String(value);
  return value.length > maxQuoted ? `${JSON.stringify(value.slice(0, maxQuoted))}…` : JSON.stringify(value);
}

const maxQuoted = 60;

/**
 * Follows `tokens` from `doc` as far as they exist. `depth` is how many tokens
 * were followed (all of them when the value exists), `node` the value reached
 * and `parent` the container it was found in (undefined at the root).
 */
export function walk(
  doc: JsonValue,
  tokens: readonly string[],
): { depth: number; node: JsonValue; parent: JsonContainer | undefined } {
  let node = doc;
  let parent: JsonContainer | undefined;
  for (let depth = 0; depth < tokens.length; depth++) {
    const token = tokens[depth];
    if (Array.isArray(node)) {
      const index = arrayIndex(token);
      if (index < 0 || index >= node.length) return { depth, node, parent };
      parent = node;
      node = node[index];
    } else if (isPlainObject(node) && hasOwn(node, token)) {
      parent = node;
      node = node[token];
    } else {
      return { depth, node, parent };
    }
  }
  return { depth: tokens.length, node, parent };
}
