import type { JsonValue } from './json.js';

/**
 * An estimate, in bytes, of the memory a JSON value takes: 8 per value (a
 * slot or a number), plus the length of each string and member name, plus 16
 * more per object or array. JSON text undercounts small containers (`[]` is 2
 * characters and tens of bytes in memory); this stays close to what an engine
 * holds, and costs a walk over what the value holds, never a serialisation.
 *
 * Walks with a stack of its own, so any value JSON.parse returns is safe, and
 * stops as soon as the estimate passes `limit` (returning what it counted so far).
 */
export function jsonSize(value: JsonValue, limit = Infinity): number {
  if (typeof value !== 'object' || value === null) return scalarSize(value);
  let bytes = 0;
  const pending: JsonValue[] = [value];
  while (pending.length > 0 && bytes <= limit) {
    const node = pending.pop()!;
    if (typeof node !== 'object' || node === null) {
      bytes += scalarSize(node);
    } else if (Array.isArray(node)) {
      bytes += containerSize;
      for (const item of node) {
        if (typeof item === 'object' && item !== null) pending.push(item);
        else bytes += scalarSize(item);
      }
    } else {
      bytes += containerSize;
      for (const key of Object.keys(node)) {
        const item = node[key];
        bytes += key.length;
        if (typeof item === 'object' && item !== null) pending.push(item);
        else bytes += scalarSize(item);
      }
    }
  }
  return bytes;
}

/** What one member name adds to an object, beyond its value. */
export const memberSize = (key: string): number => key.length;

const valueSize = 8;
const containerSize = 16 + valueSize;

function scalarSize(value: JsonValue): number {
  return typeof value === 'string' ? valueSize + value.length : valueSize;
}
