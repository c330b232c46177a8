import { parsePointer } from '../core/json-pointer.js';
import { walk, type JsonValue } from '../core/json.js';

/** The value at a JSON Pointer in `doc`, or undefined when there is none. */
export function readAt(doc: JsonValue, path: string): JsonValue | undefined {
  const tokens = parsePointer(path);
  const { depth, node } = walk(doc, tokens);
  return depth === tokens.length ? node : undefined;
}
