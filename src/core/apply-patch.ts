import { JugglerError } from './errors.js';
import { arrayIndex, isAtOrBelow, parsePointer } from './json-pointer.js';
import { describeValue, hasOwn, isPlainObject, jsonEqual, setOwn, type JsonObject, type JsonValue } from './json.js';
import { jsonSize, memberSize, walkJson, type JsonWalk } from './json-size.js';

/** What applying a patch produced. */
export interface PatchResult {
  /** The document after the patch (the same object as before unless the root was replaced). */
  doc: JsonValue;
  /**
   * JSON Pointers of every place whose value changed. An insertion or removal
   * that shifts array items reports the array itself, because every index after
   * it now holds another item; an append or a removal of the last item reports
   * only that index.
   */
  paths: string[];
  /** The size of `doc` as {@link jsonSize} estimates it; only when `maxDataSize` was given. */
  dataSize?: number;
}

/**
 * Bounds for patches from a peer that is not trusted. Without them, a message
 * of a few operations can nest the document past any stack (`add` at deep paths
 * across messages, `copy` of the root into itself) or multiply its size
 * (`copy` of the root, again and again).
 */
export interface PatchLimits {
  /** Deepest nesting a value may reach in the document, counting the path to it. */
  maxDepth?: number;
  /** Most bytes (as {@link jsonSize} estimates them) that the `copy` operations of one patch may duplicate. */
  maxCopiedBytes?: number;
  /**
   * Largest size the whole document may reach, as {@link jsonSize} estimates it.
   * Tracked as the patch is applied: each operation adds the size of what it
   * adds and subtracts that of what it removes or replaces, so the cost is that
   * of the change, not of the document.
   */
  maxDataSize?: number;
  /** The size of `doc` (the `dataSize` of the result that produced it); measured when missing. */
  dataSize?: number;
  /**
   * Most work one patch may cause: one unit per array item an insertion or a
   * removal shifts (counted on the side the undo log would shift them too),
   * plus the work of every walk over a value that is added, copied, removed or
   * replaced (weighted by what each value costs to visit: see `walkJson`).
   * Each walk stops where the work left runs out, so the limit bounds the time
   * of a patch.
   */
  maxPatchWork?: number;
}

/** Defaults the peer applies (see `PeerOptions`). */
export const defaultPatchLimits = {
  /** 64 MiB: sixteen times the largest message, so any document sent whole fits with room to grow. */
  maxDataSize: 64 * 1024 * 1024,
  /** Tens of milliseconds at most, rollback included; a dashboard's patches shift and walk thousands, not millions. */
  maxPatchWork: 10_000_000,
} as const;

type Container = JsonValue[] | JsonObject;

/**
 * Applies an RFC 6902 patch to `doc` in place, all or nothing.
 *
 * The document is mutated rather than copied: copying even one wide object per
 * patch costs as much as the whole state (a 10,000-key object takes longer to
 * copy than to serialise), so work here is proportional to the patch. Each
 * mutation pushes its inverse onto an undo log; if any operation fails, the log
 * is replayed backwards and the document is exactly as it was. Subtrees the
 * patch does not touch keep their identity.
 */
export function applyPatch(doc: JsonValue, patch: unknown, limits: PatchLimits = {}): PatchResult {
  if (!Array.isArray(patch)) throw new JugglerError('invalid-patch', 'a patch must be an array of operations');
  return new PatchTarget(doc, limits).run(patch);
}

class PatchTarget {
  #root: JsonValue;
  /** The changed paths, each once, in the order first reached. */
  readonly #paths: string[] = [];
  /** Finds a path in `#paths` once they are too many to scan; most patches change a few places and never need it. */
  #pathIndex: Set<string> | undefined;
  readonly #undo: Array<() => void> = [];
  readonly #limits: PatchLimits;
  #copiedBytes = 0;
  #work = 0;
  /** The document's estimated size, tracked only when there is a limit for it. */
  #size = 0;
  readonly #sizing: boolean;

  constructor(root: JsonValue, limits: PatchLimits) {
    this.#root = root;
    this.#limits = limits;
    this.#sizing = limits.maxDataSize !== undefined;
    if (this.#sizing) this.#size = limits.dataSize ?? jsonSize(root);
  }

  /** Applies every operation, or, when one fails, rolls back those before it and throws. */
  run(patch: unknown[]): PatchResult {
    try {
      for (let i = 0; i < patch.length; i++) this.#apply(patch[i], i);
    } catch (error) {
      for (let i = this.#undo.length - 1; i >= 0; i--) this.#undo[i]();
      throw error;
    }
    const result: PatchResult = { doc: this.#root, paths: this.#paths };
    if (this.#sizing) result.dataSize = this.#size;
    return result;
  }

  #changed(path: string): void {
    if (this.#pathIndex) {
      if (this.#pathIndex.has(path)) return;
      this.#pathIndex.add(path);
    } else {
      if (this.#paths.includes(path)) return;
      if (this.#paths.length === 8) this.#pathIndex = new Set(this.#paths).add(path);
    }
    this.#paths.push(path);
  }

  #apply(operation: unknown, index: number): void {
    if (!isPlainObject(operation)) throw invalid(index, 'is not an object');
    const { op, path } = operation;
    if (typeof path !== 'string') throw invalid(index, 'has no string "path"');
    const tokens = parsePointer(path);
    switch (op) {
      case 'add': {
        const value = valueOf(operation, index);
        this.#add(tokens, path, value, this.#inspect(tokens, value));
        break;
      }
      case 'replace': {
        const value = valueOf(operation, index);
        this.#replace(tokens, path, value, this.#inspect(tokens, value));
        break;
      }
      case 'remove':
        this.#remove(tokens, path, true);
        break;
      case 'test': {
        const value = valueOf(operation, index);
        if (!jsonEqual(this.#get(tokens, path), value)) {
          throw new JugglerError('patch-failed', `test failed: the value at ${describeValue(path)} differs`);
        }
        return;
      }
      case 'move': {
        const from = fromOf(operation, index);
        if (from !== path && isAtOrBelow(path, from)) {
          throw new JugglerError('patch-failed', `cannot move ${describeValue(from)} into its own child ${describeValue(path)}`);
        }
        const fromTokens = parsePointer(from);
        if (from === path) {
          this.#get(fromTokens, from);
          return;
        }
        // What moves stays in the document: its size is not counted again, and
        // its depth is checked (a walk paid for as work) only when it moves deeper.
        const value = this.#remove(fromTokens, from, false);
        if (tokens.length > fromTokens.length) this.#inspect(tokens, value, { always: true });
        this.#add(tokens, path, value, undefined);
        break;
      }
      case 'copy': {
        const from = fromOf(operation, index);
        const source = this.#get(parsePointer(from), from);
        // A copy must not alias (later operations mutate in place), so it is
        // built by one walk that also measures it and checks its depth, and
        // stops at the first limit passed: what it built is then dropped.
        const { bytes, copy } = this.#walk(tokens, source, true);
        this.#add(tokens, path, copy!, this.#sizing ? bytes : 0);
        break;
      }
      default:
        throw invalid(index, `has unknown op ${describeValue(op)}`);
    }
    if (this.#sizing && this.#size > this.#limits.maxDataSize!) {
      throw new JugglerError('data-too-large', `the patch would make the data larger than ${this.#limits.maxDataSize} bytes`);
    }
  }

  /**
   * Measures and depth-checks a value about to be placed at `tokens`, and
   * returns its size (0 when sizes are not tracked). A value from the patch is
   * walked only when there is a limit to check; `always` walks it anyway, for a
   * value that moves deeper.
   */
  #inspect(tokens: readonly string[], value: JsonValue, { always = false } = {}): number {
    if (typeof value !== 'object' || value === null) {
      const { maxDepth } = this.#limits;
      if (maxDepth !== undefined && tokens.length > maxDepth) throw tooDeep(maxDepth);
      return this.#sizing ? jsonSize(value) : 0;
    }
    if (!always && !this.#sizing && this.#limits.maxDepth === undefined) return 0;
    return this.#walk(tokens, value, false).bytes;
  }

  /**
   * One walk over `value`, placed at `tokens` (undefined for a value leaving
   * the document), paid for as work by what it visits.
   * Stops, and throws, at the first limit passed: the work left, the depth, or
   * for a copy the bytes the patch may still duplicate.
   */
  #walk(tokens: readonly string[] | undefined, value: JsonValue, copy: boolean): JsonWalk {
    const { maxDepth, maxCopiedBytes = Infinity } = this.#limits;
    const depthLeft = maxDepth === undefined || tokens === undefined ? Infinity : maxDepth - tokens.length;
    if (depthLeft < 0) throw tooDeep(maxDepth!);
    const workLeft = (this.#limits.maxPatchWork ?? Infinity) - this.#work;
    const result = walkJson(value, {
      maxWork: workLeft,
      maxDepth: depthLeft,
      maxBytes: copy ? maxCopiedBytes - this.#copiedBytes : Infinity,
      copy,
    });
    this.#charge(result.work);
    if (result.stopped === 'depth') throw tooDeep(maxDepth!);
    if (copy) {
      this.#copiedBytes += result.bytes;
      if (this.#copiedBytes > maxCopiedBytes) {
        throw new JugglerError('message-too-large', `the patch copies more than ${maxCopiedBytes} bytes`);
      }
    }
    return result;
  }

  /** The size of a value leaving the document, walked as work (0 when sizes are not tracked). */
  #sizeOfOld(value: JsonValue): number {
    if (!this.#sizing) return 0;
    if (typeof value !== 'object' || value === null) return jsonSize(value);
    return this.#walk(undefined, value, false).bytes;
  }

  /** Counts work before it is done, and refuses the patch once it passes the limit. */
  #charge(units: number): void {
    this.#work += units;
    if (this.#work > (this.#limits.maxPatchWork ?? Infinity)) {
      throw new JugglerError('patch-too-costly', `the patch would take more than ${this.#limits.maxPatchWork} units of work`);
    }
  }

  #get(tokens: readonly string[], path: string): JsonValue {
    if (tokens.length === 0) return this.#root;
    const parent = this.#parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) return parent[existingIndex(parent, key, path)];
    if (!hasOwn(parent, key)) throw missing(path);
    return parent[key];
  }

  /**
   * Adds `value` at `tokens`. `addedSize` is what it adds to the document's
   * size, or undefined when it was already in the document (a move).
   */
  #add(tokens: readonly string[], path: string, value: JsonValue, addedSize: number | undefined): void {
    if (tokens.length === 0) return this.#setRoot(value, addedSize ?? (this.#sizing ? this.#walk(tokens, value, false).bytes : 0));
    const parent = this.#parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const length = parent.length;
      const index = key === '-' ? length : arrayIndex(key);
      if (index < 0 || index > length) throw outOfRange(path);
      this.#charge(length - index);
      this.#size += addedSize ?? 0;
      parent.splice(index, 0, value);
      this.#undo.push(() => parent.splice(index, 1));
      this.#changed(index === length ? `${parentPath(path)}/${index}` : parentPath(path));
      return;
    }
    const had = hasOwn(parent, key);
    const old = this.#setMember(parent, key, value, had);
    if (this.#sizing) this.#size += (addedSize ?? 0) + (had ? -this.#sizeOfOld(old!) : memberSize(key));
    this.#changed(path);
  }

  #replace(tokens: readonly string[], path: string, value: JsonValue, addedSize: number): void {
    if (tokens.length === 0) return this.#setRoot(value, addedSize);
    const parent = this.#parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    let old: JsonValue;
    if (Array.isArray(parent)) {
      const index = existingIndex(parent, key, path);
      old = parent[index];
      parent[index] = value;
      this.#undo.push(() => (parent[index] = old));
    } else {
      if (!hasOwn(parent, key)) throw missing(path);
      old = this.#setMember(parent, key, value, true)!;
    }
    if (this.#sizing) this.#size += addedSize - this.#sizeOfOld(old);
    this.#changed(path);
  }

  /**
   * Removes and returns the value at `tokens`. `sized` is false when the value
   * stays in the document (a move), so its size is not walked.
   */
  #remove(tokens: readonly string[], path: string, sized: boolean): JsonValue {
    if (tokens.length === 0) throw new JugglerError('patch-failed', 'cannot remove the whole document');
    const parent = this.#parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const index = existingIndex(parent, key, path);
      // Removing the first item is cheap for the engine, but putting it back on rollback shifts them all.
      this.#charge(parent.length - index - 1);
      if (sized) this.#size -= this.#sizeOfOld(parent[index]);
      const [old] = parent.splice(index, 1);
      this.#undo.push(() => parent.splice(index, 0, old));
      this.#changed(index === parent.length ? path : parentPath(path));
      return old;
    }
    if (!hasOwn(parent, key)) throw missing(path);
    const old = parent[key];
    if (this.#sizing) this.#size -= memberSize(key) + (sized ? this.#sizeOfOld(old) : 0);
    delete parent[key];
    this.#undo.push(() => setOwn(parent, key, old));
    this.#changed(path);
    return old;
  }

  #setRoot(value: JsonValue, size: number): void {
    const old = this.#root;
    this.#size = size;
    this.#root = value;
    this.#undo.push(() => (this.#root = old));
    this.#changed('');
  }

  /** Sets a member (`had` says whether it exists) with its undo; returns the value it replaced. */
  #setMember(parent: JsonObject, key: string, value: JsonValue, had: boolean): JsonValue | undefined {
    const old = had ? parent[key] : undefined;
    setOwn(parent, key, value);
    this.#undo.push(had ? () => setOwn(parent, key, old!) : () => delete parent[key]);
    return old;
  }

  /** Walks to the container that holds the last token of `tokens`. */
  #parentOf(tokens: readonly string[], path: string): Container {
    let node: JsonValue = this.#root;
    for (let i = 0; i < tokens.length - 1; i++) {
      const key = tokens[i];
      if (Array.isArray(node)) node = node[existingIndex(node, key, path)];
      else if (isPlainObject(node) && hasOwn(node, key)) node = node[key];
      else throw missing(path);
    }
    if (typeof node !== 'object' || node === null) throw missing(path);
    return node;
  }
}

function tooDeep(maxDepth: number): JugglerError {
  return new JugglerError('too-deep', `the patch would nest the data deeper than ${maxDepth} levels`);
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function existingIndex(array: JsonValue[], token: string, path: string): number {
  const index = arrayIndex(token);
  if (index < 0 || index >= array.length) throw outOfRange(path);
  return index;
}

function valueOf(operation: JsonObject, index: number): JsonValue {
  if (!hasOwn(operation, 'value')) throw invalid(index, `(${operation.op}) has no "value"`);
  return operation.value;
}

function fromOf(operation: JsonObject, index: number): string {
  if (typeof operation.from !== 'string') throw invalid(index, `(${operation.op}) has no string "from"`);
  return operation.from;
}

function invalid(index: number, what: string): JugglerError {
  return new JugglerError('invalid-patch', `patch operation ${index} ${what}`);
}

function missing(path: string): JugglerError {
  return new JugglerError('patch-failed', `nothing at ${describeValue(path)}`);
}

function outOfRange(path: string): JugglerError {
  return new JugglerError('patch-failed', `array index out of range at ${describeValue(path)}`);
}
