import { JugglerError } from './errors.js';
import { arrayIndex, isAtOrBelow, parsePointer } from './json-pointer.js';
import { describeValue, hasOwn, isPlainObject, jsonEqual, nestsDeeperThan, type JsonObject, type JsonValue } from './json.js';

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
  /** Most bytes of JSON that the `copy` operations of one patch may duplicate. */
  maxCopiedBytes?: number;
}

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
  const target = new PatchTarget(doc, limits);
  try {
    for (let i = 0; i < patch.length; i++) target.apply(patch[i], i);
  } catch (error) {
    target.rollBack();
    throw error;
  }
  return { doc: target.root, paths: [...target.paths] };
}

class PatchTarget {
  root: JsonValue;
  readonly paths = new Set<string>();
  private readonly undo: Array<() => void> = [];
  private readonly limits: PatchLimits;
  private copiedBytes = 0;

  constructor(root: JsonValue, limits: PatchLimits) {
    this.root = root;
    this.limits = limits;
  }

  rollBack(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]();
  }

  apply(operation: unknown, index: number): void {
    if (!isPlainObject(operation)) throw invalid(index, 'is not an object');
    const { op, path } = operation;
    if (typeof path !== 'string') throw invalid(index, 'has no string "path"');
    const tokens = parsePointer(path);
    switch (op) {
      case 'add':
        return this.add(tokens, path, valueOf(operation, index));
      case 'replace':
        return this.replace(tokens, path, valueOf(operation, index));
      case 'remove':
        this.remove(tokens, path);
        return;
      case 'test': {
        const value = valueOf(operation, index);
        if (!jsonEqual(this.get(tokens, path), value)) {
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
          this.get(fromTokens, from);
          return;
        }
        return this.add(tokens, path, this.remove(fromTokens, from));
      }
      case 'copy': {
        const from = fromOf(operation, index);
        // A copy must not alias: later operations mutate in place.
        const text = JSON.stringify(this.get(parsePointer(from), from));
        this.copiedBytes += text.length;
        if (this.copiedBytes > (this.limits.maxCopiedBytes ?? Infinity)) {
          throw new JugglerError('message-too-large', `the patch copies more than ${this.limits.maxCopiedBytes} bytes`);
        }
        return this.add(tokens, path, JSON.parse(text) as JsonValue);
      }
      default:
        throw invalid(index, `has unknown op ${describeValue(op)}`);
    }
  }

  private get(tokens: readonly string[], path: string): JsonValue {
    if (tokens.length === 0) return this.root;
    const parent = this.parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) return parent[existingIndex(parent, key, path)];
    if (!hasOwn(parent, key)) throw missing(path);
    return parent[key];
  }

  /** Refuses a value that would nest deeper than the limit once placed at `tokens`. */
  private checkDepth(tokens: readonly string[], value: JsonValue): void {
    const { maxDepth } = this.limits;
    if (maxDepth !== undefined && (tokens.length > maxDepth || nestsDeeperThan(value, maxDepth - tokens.length))) {
      throw new JugglerError('too-deep', `the patch would nest the data deeper than ${maxDepth} levels`);
    }
  }

  private add(tokens: readonly string[], path: string, value: JsonValue): void {
    this.checkDepth(tokens, value);
    if (tokens.length === 0) return this.setRoot(value);
    const parent = this.parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const length = parent.length;
      const index = key === '-' ? length : arrayIndex(key);
      if (index < 0 || index > length) throw outOfRange(path);
      parent.splice(index, 0, value);
      this.undo.push(() => parent.splice(index, 1));
      this.paths.add(index === length ? `${parentPath(path)}/${index}` : parentPath(path));
      return;
    }
    this.setMember(parent, key, value);
    this.paths.add(path);
  }

  private replace(tokens: readonly string[], path: string, value: JsonValue): void {
    this.checkDepth(tokens, value);
    if (tokens.length === 0) return this.setRoot(value);
    const parent = this.parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const index = existingIndex(parent, key, path);
      const old = parent[index];
      parent[index] = value;
      this.undo.push(() => (parent[index] = old));
    } else {
      if (!hasOwn(parent, key)) throw missing(path);
      this.setMember(parent, key, value);
    }
    this.paths.add(path);
  }

  /** Removes and returns the value at `tokens`. */
  private remove(tokens: readonly string[], path: string): JsonValue {
    if (tokens.length === 0) throw new JugglerError('patch-failed', 'cannot remove the whole document');
    const parent = this.parentOf(tokens, path);
    const key = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const index = existingIndex(parent, key, path);
      const [old] = parent.splice(index, 1);
      this.undo.push(() => parent.splice(index, 0, old));
      this.paths.add(index === parent.length ? path : parentPath(path));
      return old;
    }
    if (!hasOwn(parent, key)) throw missing(path);
    const old = parent[key];
    delete parent[key];
    this.undo.push(() => (parent[key] = old));
    this.paths.add(path);
    return old;
  }

  private setRoot(value: JsonValue): void {
    const old = this.root;
    this.root = value;
    this.undo.push(() => (this.root = old));
    this.paths.add('');
  }

  private setMember(parent: JsonObject, key: string, value: JsonValue): void {
    const had = hasOwn(parent, key);
    const old = parent[key];
    parent[key] = value;
    this.undo.push(had ? () => (parent[key] = old) : () => delete parent[key]);
  }

  /** Walks to the container that holds the last token of `tokens`. */
  private parentOf(tokens: readonly string[], path: string): Container {
    let node: JsonValue = this.root;
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
