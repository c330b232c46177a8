import { randomBytes } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { JugglerError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import { LocalState, type WriteOptions } from '../../core/local-state.js';
import type { SharedState, SharedStateOptions } from '../shared-state.js';
import { openRedis, sleep, whenReady } from './connection.js';
import { Replica, scratchState } from './replica.js';
import { appendScript, seedScript, snapshotScript } from './scripts.js';
import { applyWrite, encodeWrite, type SharedWrite } from './shared-write.js';
import { compareIds } from './stream-id.js';

/** Where a {@link RedisSharedState} stands with Redis. */
export type RedisStateStatus = 'connecting' | 'live' | 'offline' | 'closed';

/**
 * What went wrong: Redis cannot be reached or refused a command
 * (`redis-unavailable`); a write of this process could not apply, the same way
 * in every process (`write-refused`, with the `JugglerError` of `LocalState`);
 * Redis lost entries this replica had applied, so it took Redis's state instead
 * (`history-lost`); an entry in the stream is not one this kit wrote
 * (`invalid-entry`); writes are being refused because `maxQueuedBytes` of
 * writes already wait for Redis (`queue-full`, once until the backlog has
 * halved; `refusedWrites` counts them all).
 */
export type RedisStateErrorCode = 'redis-unavailable' | 'write-refused' | 'history-lost' | 'invalid-entry' | 'queue-full';

/** An `error` event of a {@link RedisSharedState}. */
export class RedisStateErrorEvent extends Event {
  readonly code: RedisStateErrorCode;
  readonly error: Error;
  constructor(code: RedisStateErrorCode, error: Error) {
    super('error');
    this.code = code;
    this.error = error;
  }
  get message(): string {
    return this.error.message;
  }
}

export interface RedisSharedStateOptions extends SharedStateOptions {
  /** The Redis server (default `redis://127.0.0.1:6379`). */
  url?: string;
  /** More ioredis options (TLS, password, database…). */
  redisOptions?: RedisOptions;
  /** Prefix of the Redis keys: `<key>:stream`, `<key>:snapshot`… (default `juggler`). For Redis Cluster, put a hash tag in it: `{app}`. */
  key?: string;
  /**
   * The replica to keep (default a new one with `delay`, which holds back the
   * connections that follow it until `ready`). One you give is not held back:
   * let connections follow it only once `ready` has resolved.
   */
  state?: LocalState;
  /** Write a snapshot after this many stream entries (default 1,000). */
  snapshotEvery?: number;
  /** …or after this many ms with entries since the last one (default 30,000). */
  snapshotInterval?: number;
  /**
   * Length of the writes' JSON text (UTF-16 code units, a byte each for
   * ASCII) held until Redis has taken them back; past this, a write is refused
   * and reported by an `error` event with code `queue-full` (default 16 Mi).
   * Measured as the text's length because that costs nothing per write.
   */
  maxQueuedBytes?: number;
  /** Longest wait between attempts to reach Redis, in ms (default 1,000). */
  maxRetryDelay?: number;
  /** How long `close()` waits for pending writes to reach Redis, in ms (default 2,000). */
  closeTimeout?: number;
}

/** The defaults of {@link RedisSharedStateOptions}. */
export const redisStateDefaults = {
  key: 'juggler',
  snapshotEvery: 1000,
  snapshotInterval: 30_000,
  maxQueuedBytes: 16 * 1024 * 1024,
  maxRetryDelay: 1000,
  closeTimeout: 2000,
} as const;

/** Entries read per command, and how long one read waits for new entries. */
const readCount = 1000;
const blockTime = 2000;
/** Writes sent in one stream entry at most. */
const maxBatchWrites = 1000;
/** Writers whose last batch every replica remembers, to drop a batch sent twice. */
const maxWriters = 1000;

interface Batch {
  seq: number;
  text: string;
  count: number;
  sent: boolean;
}

/** The follow loop met an entry that does not follow the replica's position. */
class HistoryGap extends Error {}

type Script = (...args: Array<string | number>) => Promise<unknown>;

/**
 * A state shared by every process that opens it on the same Redis key, with a
 * Redis stream as the engine between them.
 *
 * Each process holds a replica (`state`, a `LocalState` its connections
 * follow). A write made here is not applied here: it is appended to the stream
 * (XADD); every process, this one included, reads the stream in order and
 * applies each entry to its replica, which sends it to its clients. So every
 * replica goes through the same states in the same order, and this process
 * sees its own write once the stream has brought it back (usually within a
 * millisecond or two).
 *
 * A process that starts loads the latest snapshot and the stream after it,
 * out of sight, and puts the result in its replica as one change; until then
 * the replica sends its connections nothing (see `ready`), so a page never
 * sees an older state than the one it had. Any process writes a snapshot
 * every `snapshotEvery` entries or `snapshotInterval` ms, and the stream is
 * trimmed behind the snapshot before it. While Redis is unreachable, the replica keeps serving
 * what it has and writes wait in a bounded queue; when Redis is back, the
 * process catches up from its position (or the snapshot, if the stream was
 * trimmed past it) and then appends what waited. A batch of writes is never
 * applied twice, even when it had landed before the connection dropped.
 *
 * Fires `status` when `status` changes and `error` ({@link RedisStateErrorEvent}).
 */
export class RedisSharedState extends EventTarget implements SharedState {
  /** The replica: give it to `listen({ sharedState })` or `peer.localState`; write through this object instead. */
  readonly state: LocalState;
  /**
   * Resolves once the replica holds the shared data: the first time this
   * process reached Redis, loaded the snapshot and read the stream to its end.
   * Connections that follow `state` get DATA from then on (they wait until
   * then). It never rejects: if the state is closed first, it stays pending.
   */
  readonly ready: Promise<void>;
  /** This process's name in the stream. */
  readonly writerId = `w${randomBytes(9).toString('base64url')}`;

  readonly #keys: { stream: string; snapshot: string; last: string; snapshotLock: string };
  readonly #command: Redis;
  readonly #reader: Redis;
  readonly #options: Required<Omit<RedisSharedStateOptions, 'url' | 'redisOptions' | 'state' | 'delay' | 'initialData'>>;
  readonly #initialData: JsonValue | undefined;
  /** The id of the last entry applied to `#target`; undefined until it first loads. */
  #position: string | undefined;
  /**
   * Where entries apply: the replica, or, while a snapshot and the entries
   * after it load, a scratch state that the replica takes as one change once
   * the stream is read to its end.
   */
  #target: LocalState;
  /** The last batch applied from each writer, in the order they last wrote: part of the replicated state. */
  readonly #writers = new Map<string, number>();
  /** Writes not yet in a batch (JSON texts), from `#queueHead` on. */
  #queue: string[] = [];
  #queueHead = 0;
  /** The JSON text of writes queued or in batches not yet confirmed, in UTF-16 units. */
  #pendingBytes = 0;
  /** Set while writes are refused for lack of room: one `queue-full` event per such spell. */
  #refusing = false;
  #refused = 0;
  /** Batches not yet seen in the stream: maybe sent, maybe landed. */
  readonly #batches: Batch[] = [];
  #unconfirmed = 0;
  #seq = 0;
  #inFlight: Batch | undefined;
  #pumpScheduled = false;
  #appendFailing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #live = false;
  #closing: Promise<void> | undefined;
  #closed = false;
  /** Aborted by `close()`: ends the waits between attempts to reach Redis at once. */
  readonly #stop = new AbortController();
  #status: RedisStateStatus = 'connecting';
  #sinceSnapshot = 0;
  #snapshotting = false;
  readonly #snapshotTimer: ReturnType<typeof setInterval>;
  #resolveReady!: () => void;
  #drainWaiters: Array<() => void> = [];
  readonly #loop: Promise<void>;

  constructor(options: RedisSharedStateOptions = {}) {
    super();
    this.#options = {
      key: options.key ?? redisStateDefaults.key,
      snapshotEvery: options.snapshotEvery ?? redisStateDefaults.snapshotEvery,
      snapshotInterval: options.snapshotInterval ?? redisStateDefaults.snapshotInterval,
      maxQueuedBytes: options.maxQueuedBytes ?? redisStateDefaults.maxQueuedBytes,
      maxRetryDelay: options.maxRetryDelay ?? redisStateDefaults.maxRetryDelay,
      closeTimeout: options.closeTimeout ?? redisStateDefaults.closeTimeout,
    };
    const key = this.#options.key;
    this.#keys = { stream: `${key}:stream`, snapshot: `${key}:snapshot`, last: `${key}:last`, snapshotLock: `${key}:snapshot-lock` };
    this.#initialData = options.initialData;
    this.state = options.state ?? new Replica(options.delay);
    this.#target = this.state;
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
    const url = options.url ?? 'redis://127.0.0.1:6379';
    this.#command = openRedis(url, options.redisOptions, this.#options.maxRetryDelay);
    this.#command.defineCommand('jugglerAppend', { numberOfKeys: 2, lua: appendScript });
    this.#command.defineCommand('jugglerSnapshot', { numberOfKeys: 2, lua: snapshotScript });
    this.#command.defineCommand('jugglerSeed', { numberOfKeys: 3, lua: seedScript });
    // XREAD BLOCK holds its connection, so reading has one of its own.
    this.#reader = openRedis(url, options.redisOptions, this.#options.maxRetryDelay);
    this.#snapshotTimer = setInterval(() => {
      if (this.#sinceSnapshot > 0) void this.#writeSnapshot();
    }, this.#options.snapshotInterval);
    this.#snapshotTimer.unref();
    this.#loop = this.#run();
  }

  /** The replica's data: the shared data as far as this process has read the stream. Read-only. */
  get data(): JsonValue {
    return this.state.data;
  }

  get status(): RedisStateStatus {
    return this.#status;
  }

  /** The id of the last stream entry applied here (undefined before the first load). */
  get position(): string | undefined {
    return this.#position;
  }

  /** Writes made here that Redis has not yet brought back. */
  get pendingWrites(): number {
    return this.#queue.length - this.#queueHead + this.#unconfirmed;
  }

  /** Writes refused since this state opened, because `maxQueuedBytes` were already waiting (see the `queue-full` error). */
  get refusedWrites(): number {
    return this.#refused;
  }

  setAt(path: string, value: JsonValue, options?: WriteOptions): void {
    this.#enqueue(options?.force ? { op: 'set', path, value, force: true } : { op: 'set', path, value });
  }

  insertAt(path: string, value: JsonValue): void {
    this.#enqueue({ op: 'insert', path, value });
  }

  removeAt(path: string): void {
    this.#enqueue({ op: 'remove', path });
  }

  incrementAt(path: string, by = 1): void {
    this.#enqueue({ op: 'increment', path, by });
  }

  replace(data: JsonValue): void {
    this.#enqueue({ op: 'set', path: '', value: data });
  }

  /** Resolves once every write made so far has come back from Redis, or after `timeout` ms. */
  settled(timeout = Infinity): Promise<void> {
    if (this.pendingWrites === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = timeout === Infinity ? undefined : setTimeout(resolve, timeout);
      this.#drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Sends pending writes (waiting at most `closeTimeout`), then closes the
   * Redis connections. Writes made once it has stopped waiting are ignored:
   * a process that is stopping may still have timers and connections that
   * write, and they must not make it fail on the way out.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#live) await this.settled(this.#options.closeTimeout);
      this.#closed = true;
      this.#stop.abort();
      this.#live = false;
      clearInterval(this.#snapshotTimer);
      clearTimeout(this.#retryTimer);
      this.#reader.disconnect();
      await this.#command.quit().catch(() => this.#command.disconnect());
      await this.#loop;
      this.#setStatus('closed');
    })();
    return this.#closing;
  }

  #enqueue(write: SharedWrite): void {
    if (this.#closed) return;
    const text = encodeWrite(write);
    if (this.#pendingBytes + text.length > this.#options.maxQueuedBytes) return this.#refuse();
    this.#pendingBytes += text.length;
    this.#queue.push(text);
    if (this.#pumpScheduled) return;
    // Writes made in the same task go out as one entry.
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /**
   * A write that does not fit is refused, never thrown: writes are made from
   * event listeners (a page's message, a timer), where a throw would end the
   * process, and what to do about a backlog is the application's call.
   */
  #refuse(): void {
    this.#refused++;
    if (this.#refusing) return;
    this.#refusing = true;
    const limit = this.#options.maxQueuedBytes;
    this.dispatchEvent(
      new RedisStateErrorEvent('queue-full', new JugglerError('queue-full', `writes refused: ${limit} bytes of writes are already waiting for Redis`)),
    );
  }

  /** Appends the next batch, one at a time so they land in the order they were made. */
  #pump(): void {
    if (!this.#live || this.#inFlight !== undefined || this.#closed) return;
    let batch = this.#batches.find((candidate) => !candidate.sent);
    if (batch === undefined) {
      if (this.#queueHead === this.#queue.length) return;
      const writes = this.#takeWrites();
      batch = { seq: ++this.#seq, text: `[${writes.join(',')}]`, count: writes.length, sent: false };
      this.#batches.push(batch);
      this.#unconfirmed += batch.count;
    }
    const sending = batch;
    sending.sent = true;
    this.#inFlight = sending;
    this.#script('jugglerAppend')(this.#keys.stream, this.#keys.last, this.writerId, sending.seq, sending.text).then(
      () => {
        this.#inFlight = undefined;
        this.#appendFailing = false;
        this.#pump();
      },
      (error: Error) => {
        // It may have landed all the same; the stream will tell, and a batch sent twice applies once.
        this.#inFlight = undefined;
        sending.sent = false;
        if (!this.#appendFailing && this.#live) this.#report('redis-unavailable', error);
        this.#appendFailing = true;
        clearTimeout(this.#retryTimer);
        this.#retryTimer = setTimeout(() => this.#pump(), this.#options.maxRetryDelay);
      },
    );
  }

  /** The next writes for a batch. A head index, not `splice`, so a long backlog is not moved once per batch. */
  #takeWrites(): string[] {
    const end = Math.min(this.#queueHead + maxBatchWrites, this.#queue.length);
    const writes = this.#queue.slice(this.#queueHead, end);
    this.#queueHead = end;
    if (end === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    } else if (end > 4096 && end * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(end);
      this.#queueHead = 0;
    }
    return writes;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      await whenReady(this.#command, this.#options.maxRetryDelay, this.#stop.signal);
      await whenReady(this.#reader, this.#options.maxRetryDelay, this.#stop.signal);
      if (this.#closed) break;
      try {
        await this.#sync();
        failures = 0;
        this.#goLive();
        await this.#follow();
      } catch (error) {
        this.#live = false;
        if (this.#closed) break;
        if (error instanceof HistoryGap) continue;
        if (this.#status !== 'offline') {
          this.#setStatus('offline');
          this.#report('redis-unavailable', error as Error);
        }
        await sleep(Math.min(50 * 2 ** failures++, this.#options.maxRetryDelay), this.#stop.signal);
      }
    }
  }

  /** Brings the replica to the end of the stream: from its position, or from the snapshot. */
  async #sync(): Promise<void> {
    for (;;) {
      const snapshotId = await this.#command.hget(this.#keys.snapshot, 'id');
      if (snapshotId === null) {
        await this.#seed();
        continue;
      }
      if (this.#position === undefined) {
        if (!(await this.#loadSnapshot(false))) continue;
      } else if (!(await this.#catchUp())) {
        // Entries after our position are gone: trimmed behind a newer snapshot, or lost by Redis.
        const lost = compareIds(snapshotId, this.#position) <= 0;
        if (lost) {
          this.#report('history-lost', new Error(`Redis no longer holds the entries after ${this.#position}; taking its snapshot ${snapshotId}`));
        }
        if (!(await this.#loadSnapshot(lost))) continue;
      }
      if (await this.#catchUp()) return this.#commit();
    }
  }

  /** The stream is read to its end: a snapshot loaded out of sight becomes the replica's data, as one change. */
  #commit(): void {
    if (this.#target === this.state) return;
    this.state.replace(this.#target.data);
    this.#target = this.state;
  }

  /** Reads and applies the entries after the position; false when they do not follow it. */
  async #catchUp(): Promise<boolean> {
    for (;;) {
      const entries = await this.#command.xrange(this.#keys.stream, `(${this.#position}`, '+', 'COUNT', readCount);
      if (!this.#applyEntries(entries)) return false;
      if (entries.length < readCount) return true;
    }
  }

  async #follow(): Promise<void> {
    while (!this.#closed) {
      const reply = await this.#reader.xread('COUNT', readCount, 'BLOCK', blockTime, 'STREAMS', this.#keys.stream, this.#position!);
      if (reply === null) continue;
      if (!this.#applyEntries(reply[0][1])) throw new HistoryGap();
    }
  }

  /** Loads the snapshot; an older one than the position only when `allowOlder`. False when there is none. */
  async #loadSnapshot(allowOlder: boolean): Promise<boolean> {
    const [id, text, writers] = await this.#command.hmget(this.#keys.snapshot, 'id', 'data', 'writers');
    if (id === null || text === null) return false;
    if (this.#position !== undefined && compareIds(id, this.#position) < 0 && !allowOlder) return true;
    const data = JSON.parse(text) as JsonValue;
    this.#writers.clear();
    for (const [writer, seq] of JSON.parse(writers ?? '[]') as Array<[string, number]>) this.#writers.set(writer, seq);
    this.#position = id;
    this.#target = scratchState(data);
    this.#confirm(this.#writers.get(this.writerId) ?? 0);
    return true;
  }

  /**
   * Redis holds nothing under the key: a new key, or a Redis that lost its
   * data. The first snapshot is the initial data, or what this replica holds.
   */
  async #seed(): Promise<void> {
    const data = this.#position === undefined && this.#initialData !== undefined ? this.#initialData : this.#target.data;
    const id = this.#position ?? '0-0';
    await this.#script('jugglerSeed')(
      this.#keys.snapshot,
      this.#keys.stream,
      this.#keys.last,
      id,
      JSON.stringify(data),
      JSON.stringify([...this.#writers]),
    );
  }

  /** Applies entries in order; false at the first one that does not follow the position. */
  #applyEntries(entries: Array<[id: string, fields: string[]]>): boolean {
    let applied = 0;
    for (const [id, fields] of entries) {
      const entry = fieldsOf(fields);
      if (entry.p !== this.#position) break;
      this.#position = id;
      // The writes of one entry (one task of one writer) go to the connections as one DATA frame, even with delay 0.
      this.#target.batch(() => this.#applyBatch(entry));
      applied++;
    }
    if (applied > 0 && this.#target instanceof Replica) this.#target.sendApplied();
    if (applied < entries.length) return false;
    this.#sinceSnapshot += entries.length;
    if (this.#sinceSnapshot >= this.#options.snapshotEvery) void this.#writeSnapshot();
    return true;
  }

  #applyBatch(entry: Record<string, string>): void {
    const { w: writer, d: text } = entry;
    const seq = Number(entry.s);
    if (writer === undefined || text === undefined || !Number.isSafeInteger(seq)) {
      return this.#report('invalid-entry', new Error(`stream entry ${this.#position} is not a batch of writes`));
    }
    if (seq <= (this.#writers.get(writer) ?? 0)) return;
    this.#writers.delete(writer);
    this.#writers.set(writer, seq);
    if (this.#writers.size > maxWriters) this.#writers.delete(this.#writers.keys().next().value!);
    let writes: unknown;
    try {
      writes = JSON.parse(text);
    } catch {
      return this.#report('invalid-entry', new Error(`stream entry ${this.#position} is not JSON`));
    }
    if (!Array.isArray(writes)) return this.#report('invalid-entry', new Error(`stream entry ${this.#position} is not a list of writes`));
    const mine = writer === this.writerId;
    for (const write of writes) {
      try {
        applyWrite(this.#target, write);
      } catch (error) {
        // Every replica refuses it alike; the process that made it says so.
        if (mine) this.#report('write-refused', error as Error);
      }
    }
    if (mine) this.#confirm(seq);
  }

  /** Batches up to `seq` are in the stream: they no longer count against the queue. */
  #confirm(seq: number): void {
    while (this.#batches.length > 0 && this.#batches[0].seq <= seq) {
      const batch = this.#batches.shift()!;
      this.#unconfirmed -= batch.count;
      // The batch's text is its writes' texts joined: brackets and commas, one per write.
      this.#pendingBytes -= batch.text.length - batch.count - 1;
    }
    if (this.#refusing && this.#pendingBytes * 2 <= this.#options.maxQueuedBytes) this.#refusing = false;
    if (this.pendingWrites === 0 && this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #goLive(): void {
    this.#live = true;
    // What was sent before the connection dropped and is not in the stream did not land: send it again.
    for (const batch of this.#batches) if (batch !== this.#inFlight) batch.sent = false;
    this.#setStatus('live');
    if (this.state instanceof Replica) this.state.open();
    this.#resolveReady();
    this.#pump();
  }

  /**
   * Stores the replica as the snapshot. One process at a time serialises it
   * (a short lock), and Redis keeps it only if it is newer than the one stored.
   */
  async #writeSnapshot(): Promise<void> {
    if (!this.#live || this.#snapshotting || this.#position === undefined) return;
    this.#snapshotting = true;
    this.#sinceSnapshot = 0;
    try {
      const lockTime = Math.min(this.#options.snapshotInterval, 5000);
      if ((await this.#command.set(this.#keys.snapshotLock, this.writerId, 'PX', lockTime, 'NX')) !== 'OK') return;
      // The data and the position must match: both are taken in the same turn.
      const id = this.#position;
      const data = JSON.stringify(this.#target.data);
      const writers = JSON.stringify([...this.#writers]);
      await this.#script('jugglerSnapshot')(this.#keys.snapshot, this.#keys.stream, id, data, writers);
    } catch {
      // Redis went away: the follow loop reports it, and the next snapshot will do.
    } finally {
      this.#snapshotting = false;
    }
  }

  #script(name: string): Script {
    const command = this.#command as unknown as Record<string, Script>;
    return command[name].bind(this.#command);
  }

  #setStatus(status: RedisStateStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.dispatchEvent(new Event('status'));
  }

  #report(code: RedisStateErrorCode, error: Error): void {
    if (code === 'redis-unavailable') error = new Error(`cannot use Redis (${error.message})`, { cause: error });
    this.dispatchEvent(new RedisStateErrorEvent(code, error));
  }
}

/** A stream entry's fields as an object (Redis gives them as a flat list). */
function fieldsOf(fields: string[]): Record<string, string> {
  const entry = Object.create(null) as Record<string, string>;
  for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i]] = fields[i + 1];
  return entry;
}

export interface RedisSharedStateEventMap {
  status: Event;
  error: RedisStateErrorEvent;
}

export interface RedisSharedState {
  addEventListener<K extends keyof RedisSharedStateEventMap>(
    type: K,
    listener: (this: RedisSharedState, event: RedisSharedStateEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof RedisSharedStateEventMap>(
    type: K,
    listener: (this: RedisSharedState, event: RedisSharedStateEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}
