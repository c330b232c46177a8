import { JugglerError } from '../../core/errors.js';
import { parsePointer } from '../../core/json-pointer.js';
import { isPlainObject, type JsonValue } from '../../core/json.js';
import type { LocalState } from '../../core/local-state.js';
import { readAt } from '../read-at.js';
import { incremented } from '../shared-state.js';

/**
 * A write as it travels through the stream: the call the application made, not
 * a patch worked out against the writer's replica. The writer's replica may be
 * behind the stream, so a patch computed there could mean something else by the
 * time it applies (a `setAt` that had to create `/a` would replace an `/a` that
 * another process created meanwhile); the call means the same thing wherever it
 * lands, and every replica applies it to the same data, so all agree.
 */
export type SharedWrite =
  | { op: 'set'; path: string; value: JsonValue; force?: boolean }
  | { op: 'insert'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'increment'; path: string; by: number };

/**
 * Checks a write and serialises it once, now: the caller may change its value
 * afterwards, and the text is what goes to Redis. The text is put together
 * here rather than by stringifying the write object: this runs once per write,
 * and stringifying that small object cost as much again as its value.
 */
export function encodeWrite(write: SharedWrite): string {
  parsePointer(write.path);
  const head = `{"op":"${write.op}","path":${JSON.stringify(write.path)}`;
  switch (write.op) {
    case 'set':
      return `${head},"value":${valueText(write.value)}${write.force ? ',"force":true' : ''}}`;
    case 'insert':
      return `${head},"value":${valueText(write.value)}}`;
    case 'remove':
      return `${head}}`;
    case 'increment':
      if (typeof write.by !== 'number' || !Number.isFinite(write.by)) {
        throw new JugglerError('invalid-value', `an increment must be a finite number, got ${String(write.by)}`);
      }
      return `${head},"by":${JSON.stringify(write.by)}}`;
  }
}

function valueText(value: JsonValue): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new JugglerError('invalid-value', `shared data must be JSON: ${(error as Error).message}`);
  }
  // undefined, a function, a symbol, or an object whose toJSON gives one of them: nothing to send.
  if (text === undefined) throw new JugglerError('invalid-value', `shared data must be JSON, got ${typeof value}`);
  return text;
}

/**
 * Applies one write from the stream to a replica. A write that cannot apply
 * (a path through a number, an insertion past the end of an array) throws a
 * `JugglerError` before changing anything, the same way on every replica.
 */
export function applyWrite(state: LocalState, write: unknown): void {
  if (!isPlainObject(write) || typeof write.path !== 'string') throw new JugglerError('invalid-patch', 'a shared write needs a string "path"');
  const { path } = write;
  switch (write.op) {
    case 'set':
      return state.setAt(path, valueOf(write), write.force === true ? { force: true } : undefined);
    case 'insert':
      return state.insertAt(path, valueOf(write));
    case 'remove':
      return state.removeAt(path);
    case 'increment':
      return state.setAt(path, incremented(readAt(state.data, path), write.by as number, path));
    default:
      throw new JugglerError('invalid-patch', `unknown shared write ${JSON.stringify(write.op)}`);
  }
}

function valueOf(write: { [key: string]: JsonValue }): JsonValue {
  if (!('value' in write)) throw new JugglerError('invalid-patch', `a shared ${String(write.op)} needs a "value"`);
  return write.value;
}
