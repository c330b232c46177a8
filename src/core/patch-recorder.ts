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
  /** A forced write is in it: folding must still leave an operation for this place. */
  forced: boolean;
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
  #unindexed: { tokens: readonly string[]; foldable: boolean; before: Slot; forced: boolean } | undefined;

  get isEmpty(): boolean {
    return this.#live === 0;
  }

  /**
   * Records setting (or, with `after` undefined, removing) the value at the
   * place named by `tokens`, whose value was `before`; `inArray` when that
   * place is an array item rather than an object member.
   *
   * A `forced` write is sent even when it leaves the place as it was (a user
   * choosing again what the page last asked for: the other side may have
   * moved on since). Later writes to the place still fold into it, but the
   * folded operation is never dropped while the place holds a value.
   */
  recordSet(tokens: readonly string[], before: Slot, after: Slot, inArray = false, forced = false): void {
    if (this.#ops.length === 0) {
      return this.#recordFirst(setOperation(formatPointer(tokens), before, after, inArray, forced), tokens, true, before, forced);
    }
    this.#index();
    const pointers = prefixPointers(tokens);
    const path = pointers[pointers.length - 1];
    const entry = this.#at.get(path);
    if (entry && entry.foldable && this.#untouchedSince(entry.index, pointers)) {
      entry.forced ||= forced;
      const folded = setOperation(path, entry.before, after, inArray, entry.forced);
      if ((this.#ops[entry.index] === null) !== (folded === null)) this.#live += folded === null ? -1 : 1;
      this.#ops[entry.index] = folded;
      return;
    }
    this.#push(setOperation(path, before, after, inArray, forced), pointers, true, before, forced);
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

  #recordFirst(text: string | null, tokens: readonly string[], foldable: boolean, before: Slot, forced = false): void {
    this.#ops.push(text);
    if (text !== null) this.#live++;
    this.#unindexed = { tokens, foldable, before, forced };
  }

  /** Enters the first operation in the maps, now that another one may fold into it or across it. */
  #index(): void {
    const first = this.#unindexed;
    if (!first) return;
    this.#unindexed = undefined;
    const pointers = prefixPointers(first.tokens);
    this.#at.set(pointers[pointers.length - 1], { index: 0, foldable: first.foldable, before: first.before, forced: first.forced });
    for (const pointer of pointers) this.#latestBelow.set(pointer, 0);
  }

  #push(text: string | null, pointers: readonly string[], foldable: boolean, before: Slot, forced = false): void {
    const index = this.#ops.length;
    this.#ops.push(text);
    if (text !== null) this.#live++;
    this.#at.set(pointers[pointers.length - 1], { index, foldable, before, forced });
    for (const pointer of pointers) this.#latestBelow.set(pointer, index);
  }
}

/**
 * The single operation that takes a place from `before` to `after`, or null
 * when they are equal (unless `forced`: then a value is set to itself; a
 * place absent before and after stays silent, as there is nothing to remove).
 * An object member is set with `add` even when it exists: RFC 6902 defines
 * that as replacing it, and some appliers refuse `replace` on certain names
 * (Python's jsonpatch on `-`). Only array items use `replace`.
 */
function setOperation(path: string, before: Slot, after: Slot, inArray: boolean, forced: boolean): string | null {
  if (after === undefined) return before === undefined ? null : `{"op":"remove","path":${JSON.stringify(path)}}`;
  if (!forced && before !== undefined && jsonEqual(before, after)) return null;
  const op = before !== undefined && inArray ? 'replace' : 'add';
  return `{"op":"${op}","path":${JSON.stringify(path)},"value":${JSON.stringify(after)}}`;
}

/** "", "/a", "/a/b" for tokens ["a", "b"]. */
function prefixPointers(tokens: readonly string[]): string[] {
  const pointers = [''];
  for (const token of tokens) pointers.push(childPointer(pointers[pointers.length - 1], token));
  return pointers;
}
