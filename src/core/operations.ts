import type { JsonValue } from './json.js';

/** One RFC 6902 operation. */
export type Operation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; path: string; from: string };

/** An RFC 6902 JSON Patch: the payload of a `DATA` message. */
export type Patch = Operation[];
