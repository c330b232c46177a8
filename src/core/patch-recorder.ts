import { childPointer, formatPointer } from './json-pointer.js';
import { jsonEqual, type JsonValue } from './json.js';

/** A value at a path before or after a write; `undefined` means absent. */
export type Slot = JsonValue | undefined;

interface Entry {
  index: number;
  /** Only plain sets can be folded together; array insertions and removals cannot. */
  foldable: boolean;
  /** For a foldable entry: the value before its first write. */
  before: Slot;
}

/**
 * The operations written since the last send, each serialised when it was
 * written, so sending costs what changed and never re-reads the document.
 *
 * Writing the same place again (a slider being dragged) folds into the earlier
 * operation instead of adding one, and a place written back to the value it had
 * drops out entirely, so a flush after `x: 0 → 1 → 0` sends nothing. Folding is
 * only done when no operation since then touched that place, anything below it
 * or anything above it, which is what keeps the folded patch equivalent.
 */
export class PatchRecorder {
  #ops: Array<string | null> = [];
  #live = 0;
  /** The latest entry written exactly at a pointer. */
  #at = new Map<string, Entry>();
  /** The index of the latest operation at or below a pointer. */
  #latestBelow = new Map<string, number>();
  /**
   * The first operation since the last take, not yet entered in the maps. Most
   * flushes carry a single write, which has nothing to fold into; the maps are
   * filled only when a second operation arrives.
   */
  #unindexed: { tokens: readonly string[]; foldable: boolean; before: Slot } | undefined;

  get isEmpty(): boolean {
    return this.#live === 0;
  }

  /**
   * Records setting (or, with `after` undefined, removing) the value at the
   * place named by `tokens`, whose value was `before`.
   */
  recordSet(tokens: readonly string[], before: Slot, after: Slot): void {
    if (this.#ops.length === 0) return this.#recordFirst(setOperation(formatPointer(tokens), before, after), tokens, true, before);
    this.#index();
    const pointers = prefixPointers(tokens);
    const path = pointers[pointers.length - 1];
    const entry = this.#at.get(path);
    if (entry && entry.foldable && this.#untouchedSince(entry.index, pointers)) {
      const folded = setOperation(path, entry.before, after);
      if ((this.#ops[entry.index] === null) !== (folded === null)) this.#live += folded === null ? -1 : 1;
      this.#ops[entry.index] = folded;
      return;
    }
    this.#push(setOperation(path, before, after), pointers, true, before);
  }

  /** Records an array insertion or removal, at the array's own pointer. */
  recordStructural(text: string, arrayTokens: readonly string[]): void {
    if (this.#ops.length === 0) return this.#recordFirst(text, arrayTokens, false, undefined);
    this.#index();
    this.#push(text, prefixPointers(arrayTokens), false, undefined);
  }

  /** Records an operation that nothing written before it may fold across (a whole-document diff). */
  recordBarrier(text: string): void {
    if (this.#ops.length === 0) return this.#recordFirst(text, [], false, undefined);
    this.#index();
    this.#push(text, [''], false, undefined);
  }

  /** Hands over the serialised operations and starts afresh. */
  take(): string[] {
    if (this.#ops.length === 0) return [];
    const ops = this.#live === this.#ops.length ? this.#ops : this.#ops.filter((op) => op !== null);
    this.#ops = [];
    this.#live = 0;
    this.#unindexed = undefined;
    if (this.#at.size > 0) {
      this.#at.clear();
      this.#latestBelow.clear();
    }
    return ops as string[];
  }

  #untouchedSince(index: number, pointers: readonly string[]): boolean {
    const path = pointers[pointers.length - 1];
    if (this.#latestBelow.get(path) !== index) return false;
    for (let i = 0; i < pointers.length - 1; i++) {
      const above = this.#at.get(pointers[i]);
      if (above && above.index > index) return false;
    }
    return true;
  }

  #recordFirst(text: string | null, tokens: readonly string[], foldable: boolean, before: Slot): void {
    this.#ops.push(text);
    if (text !== null) this.#live++;
    this.#unindexed = { tokens, foldable, before };
  }

  /** Enters the first operation in the maps, now that another one may fold into it or across it. */
  #index(): void {
    const first = this.#unindexed;
    if (!first) return;
    this.#unindexed = undefined;
    const pointers = prefixPointers(first.tokens);
    this.#at.set(pointers[pointers.length - 1], { index: 0, foldable: first.foldable, before: first.before });
    for (const pointer of pointers) this.#latestBelow.set(pointer, 0);
  }

  #push(text: string | null, pointers: readonly string[], foldable: boolean, before: Slot): void {
    const index = this.#ops.length;
    this.#ops.push(text);
    if (text !== null) this.#live++;
    this.#at.set(pointers[pointers.length - 1], { index, foldable, before });
    for (const pointer of pointers) this.#latestBelow.set(pointer, index);
  }
}

/** The single operation that takes a place from `before` to `after`, or null when they are equal. */
function setOperation(path: string, before: Slot, after: Slot): string | null {
  if (after === undefined) return before === undefined ? null : `{"op":"remove","path":${JSON.stringify(path)}}`;
  if (before !== undefined && jsonEqual(before, after)) return null;
  const op = before === undefined ? 'add' : 'replace';
  return `{"op":"${op}","path":${JSON.stringify(path)},"value":${JSON.stringify(after)}}`;
}

/** "", "/a", "/a/b" for tokens ["a", "b"]. */
function prefixPointers(tokens: readonly string[]): string[] {
  const pointers = [''];
  for (const token of tokens) pointers.push(childPointer(pointers[pointers.length - 1], token));
  return pointers;
}
