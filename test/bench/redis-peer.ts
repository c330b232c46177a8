/**
 * One process of `npm run bench:redis`: the writer or the reader of one
 * shared state, through three paths held side by side, so the parent can
 * alternate them within one run:
 *
 * - `kit`: the kit's `RedisSharedState` (the replica's `change` is "applied");
 * - `hand`: the same writes replicated by hand with the same client (ioredis):
 *   XADD of the JSON patch, XREAD BLOCK in every process (the writer's too),
 *   `JSON.parse` and fast-json-patch applying it in place with validation;
 * - `direct`: no Redis, for scale: the writer's `listen()` serves a
 *   `LocalState` (delay 0) and the reader's `connect()` client follows it.
 *
 * Times are `performance.timeOrigin + performance.now()` less this process's
 * offset from the parent's clock (measured by the parent), so a time taken
 * here compares with one taken in the other process. A write carries its send
 * time as its value: the latency is taken where it is applied.
 *
 * The parent drives it over IPC; it exits by itself after its lifetime
 * (argv), whatever happens to the parent.
 */
import jsonPatch from 'fast-json-patch';
import { Redis } from 'ioredis';
import type { JugglerClient } from '../../src/client/juggler-client.js';
import type { JsonObject, JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import { connect } from '../../src/node/connect.js';
import { listen, type JugglerServer } from '../../src/node/listen.js';
import { RedisSharedState } from '../../src/node/redis/redis-shared-state.js';

export type Path = 'kit' | 'hand' | 'direct';
export type Role = 'writer' | 'reader';

const [role, redisUrl, key, lifetimeText] = process.argv.slice(2) as [Role, string, string, string];
// Bounded whatever the parent does: a benchmark must not leave processes behind.
setTimeout(() => process.exit(2), Number(lifetimeText) * 1000).unref();

/** Writes the writer keeps not yet back in its own replica, on both Redis paths: a writer with no bound fills memory. */
let maxPending = 1000;
/** Fields of the document, the most a burst can write (one write each, in one task). */
const fieldCount = 100;

function initialData(): JsonObject {
  const fields: JsonObject = {};
  for (let i = 0; i < fieldCount; i++) fields[`f${i}`] = 0;
  return { t: 0, seq: 0, f: fields };
}

let offset = 0;
const clock = () => performance.timeOrigin + performance.now() - offset;

/** What one path has applied here since the parent last asked. */
class Tally {
  /** Writes applied to this process's replica. */
  applied = 0;
  /** Writes made here (the writer). */
  written = 0;
  /** Latencies of the timed writes applied since the last mark, in ms. */
  samples: number[] = [];
  #lastSent = 0;

  /** `count` writes were applied; `sent` is the document's send time now (a new one when a timed write was among them). */
  onApplied(count: number, sent: unknown): void {
    this.applied += count;
    if (typeof sent === 'number' && sent !== this.#lastSent) {
      this.#lastSent = sent;
      this.samples.push(clock() - sent);
    }
    if (role === 'writer') resumeSoon();
  }
}

const tallies: Record<Path, Tally> = { kit: new Tally(), hand: new Tally(), direct: new Tally() };

/** The writing side of a path. */
interface Writer {
  /** One write of `value` at `path`. */
  write(path: string, value: number): void;
  /** `count` writes of `value`, one per field, in this task. */
  burst(value: number, count: number): void;
  /** Writes made here not yet applied to this process's replica. */
  pending(): number;
}

let kit: RedisSharedState;
let handCommand: Redis;
let handReaderConnection: Redis;
let directServer: JugglerServer | undefined;
let directClient: JugglerClient | undefined;
const writers = {} as Record<Path, Writer>;

/** The kit: one shared state on the key; its replica's `change` fires once per write applied. */
async function openKit(): Promise<void> {
  kit = new RedisSharedState({ url: redisUrl, key: `${key}:kit`, initialData: initialData() });
  kit.addEventListener('error', ({ code, message }) => console.error(`kit ${role}: ${code} ${message}`));
  await kit.ready;
  kit.state.addEventListener('change', () => tallies.kit.onApplied(1, (kit.data as JsonObject).t));
  writers.kit = {
    write: (path, value) => kit.setAt(path, value),
    burst: (value, count) => {
      for (let i = 0; i < count; i++) kit.setAt(`/f/f${i}`, value);
    },
    pending: () => kit.pendingWrites,
  };
}

/** By hand: a patch per task appended with XADD, read back with XREAD BLOCK from the last id, parsed and applied. */
async function openHand(): Promise<void> {
  const stream = `${key}:hand`;
  handCommand = new Redis(redisUrl);
  // XREAD BLOCK holds its connection, as the kit's reader does.
  handReaderConnection = new Redis(redisUrl);
  const doc = initialData();
  const tally = tallies.hand;
  void (async () => {
    let last = '0-0';
    for (;;) {
      const reply = await handReaderConnection.xread('COUNT', 1000, 'BLOCK', 2000, 'STREAMS', stream, last).catch(() => null);
      if (handReaderConnection.status === 'end') return;
      if (reply === null) continue;
      for (const [id, fields] of reply[0][1]) {
        last = id;
        const patch = JSON.parse(fields[1]) as jsonPatch.Operation[];
        jsonPatch.applyPatch(doc, patch, true, true);
        tally.onApplied(patch.length, doc.t);
      }
    }
  })();
  const append = (patch: jsonPatch.Operation[]) => {
    handCommand.xadd(stream, '*', 'd', JSON.stringify(patch)).catch((error: Error) => console.error(`hand ${role}: ${error.message}`));
  };
  writers.hand = {
    write: (path, value) => append([{ op: 'replace', path, value }]),
    burst: (value, count) => append(Array.from({ length: count }, (_, i) => ({ op: 'replace' as const, path: `/f/f${i}`, value }))),
    pending: () => tally.written - tally.applied,
  };
}

/** No Redis: the writer serves a LocalState that sends every write at once; the reader's client follows it. */
async function openDirect(url: string | undefined): Promise<string | undefined> {
  if (role === 'writer') {
    const state = new LocalState<JsonValue>({ delay: 0, data: initialData() });
    const server = await listen({ port: 0, sharedState: state });
    directServer = server;
    writers.direct = {
      write: (path, value) => state.setAt(path, value),
      burst: (value, count) => {
        for (let i = 0; i < count; i++) state.setAt(`/f/f${i}`, value);
      },
      pending: () => 0,
    };
    return server.url;
  }
  const client = connect(url!, { delay: 0 });
  directClient = client;
  await new Promise((resolve) => client.addEventListener('change', resolve, { once: true }));
  client.addEventListener('change', () => tallies.direct.onApplied(1, (client.remoteData as JsonObject).t));
  return undefined;
}

// The writer's loops: paced writes for latency, and writes as fast as the bound on pending writes allows.
let paused: (() => void) | undefined;
let resumeScheduled = false;

/** A write came back here: a writer paused on its bound looks again once the whole entry is applied. */
function resumeSoon(): void {
  if (paused === undefined || resumeScheduled) return;
  resumeScheduled = true;
  setImmediate(() => {
    resumeScheduled = false;
    const step = paused;
    paused = undefined;
    step?.();
  });
}

function paced(path: Path, rate: number, seconds: number): Promise<void> {
  const writer = writers[path];
  const tally = tallies[path];
  const start = performance.now();
  const count = Math.round(rate * seconds);
  return new Promise((resolve) => {
    let i = 0;
    const step = () => {
      writer.write('/t', clock());
      tally.written++;
      if (++i === count) return resolve();
      setTimeout(step, Math.max(0, start + (i * 1000) / rate - performance.now()));
    };
    step();
  });
}

function flood(path: Path, burst: number, seconds: number): Promise<void> {
  const writer = writers[path];
  const tally = tallies[path];
  const stopAt = performance.now() + seconds * 1000;
  let seq = 0;
  return new Promise((resolve) => {
    const step = () => {
      if (performance.now() >= stopAt) return resolve();
      if (writer.pending() >= maxPending) {
        paused = step;
        return;
      }
      seq++;
      if (burst === 1) writer.write('/seq', seq);
      else writer.burst(seq, Math.min(burst, fieldCount));
      tally.written += Math.min(burst, fieldCount);
      // One task per write (or per burst): the next one comes after the event loop has turned.
      setImmediate(step);
    };
    step();
  });
}

type Command =
  | { type: 'clock' }
  | { type: 'setup'; offset: number; maxPending: number; directUrl?: string }
  | { type: 'paced'; path: Path; rate: number; seconds: number }
  | { type: 'flood'; path: Path; burst: number; seconds: number }
  | { type: 'mark'; path: Path }
  | { type: 'caught-up'; path: Path; written: number; timeout: number }
  | { type: 'exit' };

/** The figures the parent reads at a mark: counts, CPU and the time, all from here. */
function mark(path: Path) {
  const tally = tallies[path];
  const cpu = process.cpuUsage();
  const samples = tally.samples;
  tally.samples = [];
  return { type: 'mark', time: clock(), applied: tally.applied, written: tally.written, cpuMicros: cpu.user + cpu.system, samples };
}

process.on('message', async (message: Command) => {
  switch (message.type) {
    case 'clock':
      return process.send!({ type: 'clock', time: performance.timeOrigin + performance.now() });
    case 'setup': {
      offset = message.offset;
      maxPending = message.maxPending;
      await Promise.all([openKit(), openHand()]);
      const directUrl = await openDirect(message.directUrl);
      return process.send!({ type: 'ready', directUrl });
    }
    case 'paced':
      await paced(message.path, message.rate, message.seconds);
      return process.send!({ type: 'written', written: tallies[message.path].written });
    case 'flood':
      await flood(message.path, message.burst, message.seconds);
      return process.send!({ type: 'written', written: tallies[message.path].written });
    case 'mark':
      return process.send!(mark(message.path));
    case 'caught-up': {
      // Bounded: a write that never arrives is reported by the counts, not by a hang.
      const deadline = performance.now() + message.timeout;
      while (tallies[message.path].applied < message.written && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      return process.send!(mark(message.path));
    }
    case 'exit':
      directClient?.close();
      await Promise.race([
        Promise.all([kit?.close(), directServer?.close()]),
        new Promise((resolve) => setTimeout(resolve, 3000)),
      ]);
      handCommand?.disconnect();
      handReaderConnection?.disconnect();
      process.exit(0);
  }
});
