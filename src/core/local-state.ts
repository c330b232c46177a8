import { applyPatch } from './apply-patch.js';
import { diffChanges } from './diff.js';
import { JugglerError } from './errors.js';
import { JugglerChangeEvent } from './events.js';
import { arrayIndex, formatPointer, parsePointer } from './json-pointer.js';
import { isContainer, isPlainObject, walk, type JsonValue } from './json.js';
import { encodeDataFrame, encodeMessage } from './messages.js';
import type { Operation } from './operations.js';
import { Throttle, type Delay } from './throttle.js';
import { PatchRecorder } from './patch-recorder.js';

/** Where a {@link LocalState} sends its DATA frames: one open connection. */
export interface DataSink {
  sendFrame(frame: string): void;
  /**
   * Whether the connection is too far behind to be sent DATA now (the other
   * side reads slower than the data changes). Optional, with `whenDrained`:
   * a sink without it always takes every patch.
   */
  isBacklogged?(): boolean;
  /** Calls `listener` once, when a backlogged connection can take DATA again. */
  whenDrained?(listener: () => void): void;
}

export interface LocalStateOptions<T = JsonValue> {
  /** Coalescing delay in ms, `0` or `'manual'` (default 100, as the reference JS client). */
  delay?: Delay;
  /** Initial data (default `null`: give it when `T` does not include `null`). */
  data?: T;
}

/** How a write is recorded. */
export interface WriteOptions {
  /**
   * Send the write even when the place already holds the value (a user's
   * input repeating the page's last write, which the other side may have
   * overridden since). It is still coalesced with the other writes.
   */
  force?: boolean;
}

/**
 * Local data and the machinery that sends its changes: writes are recorded as
 * patch operations as they happen (serialised once, at write time), coalesced
 * by the delay and sent as one DATA to every connection that follows this state.
 *
 * One `LocalState` may feed many connections (a server broadcasting one shared
 * state): the patch is serialised once and the same frame goes to each. A
 * connection that joins later gets the whole document once, then the patches.
 *
 * Data is mutated in place for speed; treat `data` as read-only and change it
 * only through these methods. Values you pass to `setAt` and `insertAt` are
 * copied; a document you assign whole is adopted as it is, so do not mutate it
 * afterwards (build a new one, sharing what did not change: unchanged subtrees
 * are skipped without being compared).
 *
 * Fires `change` ({@link JugglerChangeEvent}) after every write.
 *
 * `T` is the shape of the data, for type checks only (default: any JSON):
 * `new LocalState<{ count: number }>({ data: { count: 0 } })`, or inferred from
 * `data`. Writes at a path are not checked against it.
 */
export class LocalState<T = JsonValue> extends EventTarget {
  #data: JsonValue;
  readonly #throttle: Throttle;
  readonly #recorder = new PatchRecorder();
  /** Connections that have everything but the pending patch. */
  readonly #synced = new Set<DataSink>();
  /**
   * Connections that joined while a patch was pending: they get the whole
   * document at the next flush. The flag says the other side may hold data.
   */
  readonly #joining = new Map<DataSink, boolean>();
  /**
   * Connections skipped because they were backlogged: they hold some earlier
   * version and get the whole document once they drain.
   */
  readonly #lagging = new Set<DataSink>();
  /** The whole document as one DATA frame, until the next write: many catching up cost one serialisation. */
  #wholeFrame: string | undefined;

  constructor(options: LocalStateOptions<T> = {}) {
    super();
    this.#data = options.data ?? null;
    this.#throttle = new Throttle(options.delay ?? 100, () => this.flush());
  }

  get data(): T {
    return this.#data as T;
  }

  /** Replaces the whole document; what is sent is the difference from the current one. */
  set data(next: T) {
    this.replace(next);
  }

  get delay(): Delay {
    return this.#throttle.delay;
  }

  set delay(delay: Delay) {
    this.#throttle.delay = delay;
  }

  /** Replaces the whole document (see `data`). */
  replace(next: T): void {
    assertJson(next);
    if (next === this.#data) return;
    const { ops, paths } = diffChanges(this.#data, next);
    if (ops.length === 0) return;
    this.#data = next;
    if (this.#synced.size > 0) {
      for (const op of ops) this.#recorder.recordBarrier(JSON.stringify(op));
    }
    this.#changed(paths);
  }

  /**
   * Sets the value at a JSON Pointer, adding it if missing. Missing parent
   * objects are created; `-` as the last token appends to an array.
   * With `force`, it is sent even when the value is the same (see {@link WriteOptions}).
   */
  setAt(path: string, value: JsonValue, options?: WriteOptions): void {
    const tokens = parsePointer(path);
    if (tokens.length === 0) return this.replace(value as T);
    const copy = copyJson(value);
    const last = tokens.length - 1;
    const { depth, node, parent } = walk(this.#data, tokens);
    if (depth === tokens.length) {
      // An existing object member is set with add (RFC 6902: it replaces), which every applier takes.
      return this.#set({ op: Array.isArray(parent) ? 'replace' : 'add', path, value: copy }, tokens, node, options?.force);
    }
    if (depth === last && Array.isArray(node)) {
      if (tokens[last] !== '-' && arrayIndex(tokens[last]) !== node.length) {
        throw new JugglerError('invalid-path', `cannot write at ${JSON.stringify(path)}: past the end of the array`);
      }
      return this.#structural({ op: 'add', path, value: copy }, tokens.slice(0, last));
    }
    if (depth > 0 && !isPlainObject(node)) {
      throw new JugglerError('invalid-path', `cannot write at ${JSON.stringify(path)}: ${JSON.stringify(formatPointer(tokens.slice(0, depth)))} is not an object`);
    }
    // Add the first missing member with the missing objects below it nested in its value.
    let nested: JsonValue = copy;
    for (let i = last; i > depth; i--) nested = { [tokens[i]]: nested };
    if (!isContainer(node)) return this.replace({ [tokens[0]]: nested } as T);
    const at = tokens.slice(0, depth + 1);
    this.#set({ op: 'add', path: formatPointer(at), value: nested }, at, undefined);
  }

  /**
   * Inserts into an array at an index (or `-` for the end), shifting later
   * items; on an object it sets the member, as RFC 6902 `add` does.
   */
  insertAt(path: string, value: JsonValue): void {
    const tokens = parsePointer(path);
    if (tokens.length === 0) return this.replace(value as T);
    const parentTokens = tokens.slice(0, -1);
    const { depth, node } = walk(this.#data, parentTokens);
    if (depth < parentTokens.length || !isContainer(node)) {
      throw new JugglerError('invalid-path', `cannot insert at ${JSON.stringify(path)}: no array or object to insert into`);
    }
    if (!Array.isArray(node)) return this.setAt(path, value);
    this.#structural({ op: 'add', path, value: copyJson(value) }, parentTokens);
  }

  /** Removes the value at a path; does nothing when there is none. */
  removeAt(path: string): void {
    const tokens = parsePointer(path);
    if (tokens.length === 0) return this.replace(null as T);
    const { depth, node, parent } = walk(this.#data, tokens);
    if (depth < tokens.length) return;
    if (Array.isArray(parent)) return this.#structural({ op: 'remove', path }, tokens.slice(0, -1));
    this.#set({ op: 'remove', path }, tokens, node);
  }

  /**
   * Runs `writes` (synchronously: writes after an `await` in it are not part of
   * the batch) and returns what it returns; the writes it makes go out as one
   * patch. With delay 0 each write would otherwise be sent on its own, and a
   * peer would see the states between them. With a delay the patch goes out
   * when the delay has run, as any change; with `manual`, at `flush()` (a
   * `flush()` inside the batch sends what was written so far). If `writes`
   * throws, what it wrote before stays written and goes out all the same.
   */
  batch<R>(writes: () => R): R {
    return this.#throttle.hold(writes);
  }

  /**
   * Sends what is pending now, to every connection, without waiting for the
   * delay. Returns whether anything was sent.
   */
  flush(): boolean {
    this.#throttle.cancel();
    const pending = this.#recorder.take();
    let sent = false;
    if (pending.length > 0 && this.#synced.size > 0) {
      const frame = encodeDataFrame(pending);
      for (const sink of this.#synced) {
        if (sink.isBacklogged?.()) {
          this.#park(sink);
        } else {
          sink.sendFrame(frame);
          sent = true;
        }
      }
    }
    if (this.#joining.size > 0) {
      for (const [sink, holdsData] of this.#joining) sent = this.#sendWhole(sink, holdsData) || sent;
      this.#joining.clear();
    }
    return sent;
  }

  /**
   * A connection opened: it starts from `null`, so it needs the whole document
   * (`holdsData`: the other side may hold data already, as when a connection
   * switches from another state, so `null` must be sent too).
   * It gets it now, unless other connections are waiting for a pending patch;
   * then it gets the whole document at that flush (sending it now and the patch
   * after would apply the pending changes twice). A connection that is
   * backlogged already gets it once it drains.
   */
  follow(sink: DataSink, holdsData = false): void {
    if (sink.isBacklogged?.()) return this.#park(sink);
    this.#admit(sink, holdsData);
  }

  /** A connection closed. */
  unfollow(sink: DataSink): void {
    this.#synced.delete(sink);
    this.#joining.delete(sink);
    this.#lagging.delete(sink);
    if (this.#synced.size > 0) return;
    // Nobody is waiting for a patch any more: serve the joiners now.
    this.#throttle.cancel();
    this.#recorder.take();
    for (const [joiner, holdsData] of this.#joining) this.#sendWhole(joiner, holdsData);
    this.#joining.clear();
  }

  #admit(sink: DataSink, holdsData: boolean): void {
    if (this.#synced.size === 0) this.#recorder.take();
    if (this.#recorder.isEmpty) {
      this.#sendWhole(sink, holdsData);
    } else {
      this.#joining.set(sink, holdsData);
      this.#throttle.schedule();
    }
  }

  /**
   * Stops sending DATA to a backlogged connection. It misses patches from now
   * on, so when it drains it joins as a connection holding data would: the
   * whole document, now or at the next flush, then the patches after it.
   */
  #park(sink: DataSink): void {
    this.#synced.delete(sink);
    this.#joining.delete(sink);
    this.#lagging.add(sink);
    sink.whenDrained?.(() => this.#drained(sink));
  }

  #drained(sink: DataSink): void {
    // A sink that closed, or left and followed again, is no longer parked here.
    if (this.#lagging.delete(sink)) this.follow(sink, true);
  }

  #sendWhole(sink: DataSink, holdsData: boolean): boolean {
    this.#synced.add(sink);
    if (this.#data === null && !holdsData) return false;
    this.#wholeFrame ??= encodeMessage('DATA', [{ op: 'replace', path: '', value: this.#data }]);
    sink.sendFrame(this.#wholeFrame);
    return true;
  }

  /** Applies a write that sets or removes one place; such writes fold together when repeated. */
  #set(op: Operation, tokens: readonly string[], before: JsonValue | undefined, force = false): void {
    const paths = this.#apply(op);
    if (this.#synced.size > 0) {
      // Only array items are set with replace.
      const after = op.op === 'remove' ? undefined : (op as { value: JsonValue }).value;
      this.#recorder.recordSet(tokens, before, after, op.op === 'replace', force);
    }
    this.#changed(paths);
  }

  /** Applies an array insertion or removal; these shift indices, so they never fold. */
  #structural(op: Operation, arrayTokens: readonly string[]): void {
    const text = JSON.stringify(op);
    const paths = this.#apply(op);
    if (this.#synced.size > 0) this.#recorder.recordStructural(text, arrayTokens);
    this.#changed(paths);
  }

  #apply(op: Operation): string[] {
    const result = applyPatch(this.#data, [op]);
    this.#data = result.doc;
    return result.paths;
  }

  #changed(paths: readonly string[]): void {
    this.#wholeFrame = undefined;
    if (this.#synced.size > 0) this.#throttle.schedule();
    this.dispatchEvent(new JugglerChangeEvent(this.#data, paths, null));
  }
}

function assertJson(value: unknown): asserts value is JsonValue {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new JugglerError('invalid-value', `local data must be JSON, got ${typeof value}`);
  }
}

/** A private copy, so later writes below it never touch the caller's object. */
function copyJson(value: JsonValue): JsonValue {
  assertJson(value);
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as JsonValue) : value;
}
