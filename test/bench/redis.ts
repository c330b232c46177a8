/**
 * `npm run bench:redis`: one state shared by two processes through Redis,
 * the kit's `RedisSharedState` against the same writes replicated by hand with
 * the same client (ioredis): XADD of the JSON patch, XREAD BLOCK in every
 * process, `JSON.parse` and fast-json-patch in place (see `redis-peer.ts`).
 *
 * - write → applied: a writer process makes one-field writes at a steady pace;
 *   the time until the other process's replica has applied each (and the
 *   writer's own), p50 and p99, beside the same writes without Redis (the
 *   writer's `listen()` to a `connect()` client in the other process).
 * - throughput: the writer writes as fast as it can, one write per task and in
 *   bursts of 100 writes per task, keeping at most 1,000 writes not yet back
 *   in its own replica; the writes the other process applies per second, and
 *   the CPU of the writer, the reader and Redis per write.
 *
 * It starts its own redis-server on a free loopback port, with no persistence,
 * and stops it at the end. The paths run in turn, in a rotating order, every
 * round; figures are medians over the rounds and ratios the medians of the
 * rounds' paired ratios. Options: `--seconds=3` (per measured window),
 * `--rounds=3`, `--rate=200` (writes a second for latency), `--pending=1000`
 * (the writer's bound). REDIS_PEER_FLAGS adds Node flags to the two processes
 * (`--cpu-prof`, for one).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startRedis } from '../support/redis.mjs';
import { expect } from './ipc.js';
import { benchOptions } from './options.js';
import { median, printRows, quantile, times, type Row } from './measure.js';
import type { Path } from './redis-peer.js';

const options = benchOptions(
  { seconds: '3', rounds: '3', rate: '200', pending: '1000' },
  'Usage: npm run bench:redis -- [--seconds=3] [--rounds=3] [--rate=200] [--pending=1000]',
);
const seconds = options.number('seconds');
const rounds = options.number('rounds');
const rate = options.number('rate');
const maxPending = options.number('pending');
/** Each window starts with this much unmeasured writing: the first writes time the compiler and the connections. */
const warmup = 0.5;
const bursts = [1, 100];
const key = 'bench';
const label: Record<Path, string> = { kit: 'kit RedisSharedState', hand: 'by hand: XADD / XREAD', direct: 'no Redis: listen() → connect()' };

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Mark {
  time: number;
  applied: number;
  written: number;
  cpuMicros: number;
  samples: number[];
}

/** Sends `message` and resolves with the child's reply of `reply`. */
function ask<T>(child: ChildProcess, message: object, reply: string, timeout = 30_000): Promise<T> {
  const answer = expect<T>(child, reply, timeout);
  child.send(message);
  return answer;
}

/** The child's clock less ours (both `timeOrigin + now()`), from the exchange with the shortest round trip. */
async function clockOffset(child: ChildProcess): Promise<number> {
  let best = { trip: Infinity, offset: 0 };
  for (let i = 0; i < 30; i++) {
    const sent = performance.timeOrigin + performance.now();
    const { time } = await ask<{ time: number }>(child, { type: 'clock' }, 'clock');
    const received = performance.timeOrigin + performance.now();
    if (received - sent < best.trip) best = { trip: received - sent, offset: time - (sent + received) / 2 };
  }
  return best.offset;
}

const redis = await startRedis();
const admin = new Redis(redis.url);
const windows = rounds * (3 + 2 * bursts.length) + 3 + 2 * bursts.length;
const lifetime = windows * (seconds + warmup + 15) + 60;
const fork_ = (role: string) => fork(here('./redis-peer.ts'), [role, redis.url, key, String(lifetime)], {
  execArgv: ['--import', 'tsx', ...(process.env.REDIS_PEER_FLAGS ?? '').split(' ').filter(Boolean)],
});
const writer = fork_('writer');
const reader = fork_('reader');
// Whatever happens, nothing outlives the run.
const killAll = () => [writer, reader].forEach((child) => child.exitCode === null && child.kill('SIGKILL'));
const deadline = setTimeout(killAll, lifetime * 1000);

/** Redis's CPU time so far, in µs. */
async function redisCpu(): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)![1]);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
}

/** Entries ever appended to the path's stream. */
async function entriesAdded(path: Path): Promise<number> {
  const info = (await admin.xinfo('STREAM', `${key}:${path}${path === 'kit' ? ':stream' : ''}`)) as unknown[];
  return Number(info[info.indexOf('entries-added') + 1]);
}

interface LatencyRun {
  other: number[];
  own: number[];
  lost: number;
}

/** Writes at `rate` a second: the latency of every write after the warm-up, at the reader and at the writer's own replica. */
async function latency(path: Path, window = seconds): Promise<LatencyRun> {
  const done = ask<{ written: number }>(writer, { type: 'paced', path, rate, seconds: warmup + window }, 'written', (warmup + window + 30) * 1000);
  await sleep(warmup * 1000);
  // A mark drops the samples taken so far: the warm-up's.
  await Promise.all([ask<Mark>(reader, { type: 'mark', path }, 'mark'), ask<Mark>(writer, { type: 'mark', path }, 'mark')]);
  const { written } = await done;
  const caughtUp = (child: ChildProcess) => ask<Mark>(child, { type: 'caught-up', path, written, timeout: 5000 }, 'mark');
  // The writer's own replica is the LocalState itself without Redis: a write is applied as it is made.
  const [other, own] = await Promise.all([caughtUp(reader), path === 'direct' ? undefined : caughtUp(writer)]);
  return { other: other.samples, own: own?.samples ?? [], lost: written - other.applied };
}

interface FloodRun {
  /** Writes applied per second by the reader. */
  rate: number;
  /** CPU per write applied by the reader, µs. */
  writerCpu: number;
  readerCpu: number;
  redisCpu: number;
  writesPerEntry: number;
  lost: number;
}

/** Writes as fast as the writer's bound allows, `burst` writes per task; the reader's rate over the window after the warm-up. */
async function flood(path: Path, burst: number, window = seconds): Promise<FloodRun> {
  // The writer runs a little past the window: the parent's second mark must land while it still writes.
  const done = ask<{ written: number }>(writer, { type: 'flood', path, burst, seconds: warmup + window + 0.5 }, 'written', (warmup + window + 30) * 1000);
  await sleep(warmup * 1000);
  const marks = () =>
    Promise.all([
      ask<Mark>(writer, { type: 'mark', path }, 'mark'),
      ask<Mark>(reader, { type: 'mark', path }, 'mark'),
      redisCpu(),
      entriesAdded(path),
    ]);
  const [w0, r0, redis0, entries0] = await marks();
  await sleep(window * 1000);
  const [w1, r1, redis1, entries1] = await marks();
  const { written } = await done;
  const last = await ask<Mark>(reader, { type: 'caught-up', path, written, timeout: 10_000 }, 'mark');
  // The hand-made stream is trimmed between windows (the kit trims its own behind its snapshots).
  if (path === 'hand') await admin.xtrim(`${key}:hand`, 'MAXLEN', 0);
  const applied = r1.applied - r0.applied;
  return {
    rate: applied / ((r1.time - r0.time) / 1000),
    writerCpu: (w1.cpuMicros - w0.cpuMicros) / applied,
    readerCpu: (r1.cpuMicros - r0.cpuMicros) / applied,
    redisCpu: (redis1 - redis0) / applied,
    writesPerEntry: applied / (entries1 - entries0),
    lost: written - last.applied,
  };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en')}/s`;
const micros = (value: number) => `${value.toFixed(1)} µs`;

interface LatencyFigures {
  p50: number;
  p99: number;
  ownP50: number;
  ownP99: number;
  lost: number;
}

const latencyRuns: Record<Path, LatencyFigures[]> = { kit: [], hand: [], direct: [] };
const floodRuns = new Map<number, Record<'kit' | 'hand', FloodRun[]>>(bursts.map((burst) => [burst, { kit: [], hand: [] }]));

try {
  const [writerOffset, readerOffset] = [await clockOffset(writer), await clockOffset(reader)];
  const { directUrl } = await ask<{ directUrl: string }>(writer, { type: 'setup', offset: writerOffset, maxPending }, 'ready');
  await ask(reader, { type: 'setup', offset: readerOffset, maxPending, directUrl }, 'ready');
  console.log(
    `Redis: two processes, one writer and one reader; latency at ${rate} writes/s, ${seconds} s windows after ${warmup} s of warm-up, ${rounds} round(s).` +
      `\nClock offsets from this process (corrected): writer ${(writerOffset * 1000).toFixed(1)} µs, reader ${(readerOffset * 1000).toFixed(1)} µs.`,
  );

  // One unmeasured pass of everything: the first windows would time the compiler.
  for (const path of ['kit', 'hand', 'direct'] as const) await latency(path, 1);
  for (const burst of bursts) for (const path of ['kit', 'hand'] as const) await flood(path, burst, 1);

  for (let round = 0; round < rounds; round++) {
    // A rotating order: no path always runs first or right after another.
    const paths: Path[] = ['kit', 'hand', 'direct'];
    for (let i = 0; i < paths.length; i++) {
      const path = paths[(i + round) % paths.length];
      const run = await latency(path);
      const figures = {
        p50: quantile(run.other, 0.5),
        p99: quantile(run.other, 0.99),
        ownP50: run.own.length ? quantile(run.own, 0.5) : NaN,
        ownP99: run.own.length ? quantile(run.own, 0.99) : NaN,
        lost: run.lost,
      };
      latencyRuns[path].push(figures);
      const own = path === 'direct' ? '' : `  own replica p50 ${ms(figures.ownP50)} p99 ${ms(figures.ownP99)}`;
      console.log(`  latency ${label[path].padEnd(31)} other process p50 ${ms(figures.p50)} p99 ${ms(figures.p99)}${own}  (${run.other.length} writes, ${run.lost} lost)`);
    }
    for (const burst of bursts) {
      for (const path of (round + burst) % 2 ? (['hand', 'kit'] as const) : (['kit', 'hand'] as const)) {
        const run = await flood(path, burst);
        floodRuns.get(burst)![path].push(run);
        console.log(
          `  ${burst === 1 ? 'one write per task' : `${burst} writes per task`} ${label[path].padEnd(22)} ${perSecond(run.rate)}  ` +
            `CPU per write: writer ${micros(run.writerCpu)}, reader ${micros(run.readerCpu)}, Redis ${micros(run.redisCpu)}  ` +
            `${run.writesPerEntry.toFixed(1)} writes/entry  ${run.lost} lost`,
        );
      }
    }
  }
} finally {
  for (const child of [writer, reader]) if (child.connected) child.send({ type: 'exit' });
  const exits = [writer, reader].map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined));
  const forced = setTimeout(killAll, 5000);
  await Promise.all(exits);
  clearTimeout(forced);
  clearTimeout(deadline);
  admin.disconnect();
  await redis.dispose();
}

const pick = <T>(runs: T[], key: keyof T) => median(runs.map((run) => run[key] as number));
/** Median over the rounds of ours ÷ the baseline's, round by round. */
const pairedRatio = <T>(ours: T[], baseline: T[], key: keyof T) => median(ours.map((run, i) => (run[key] as number) / (baseline[i][key] as number)));

const table = [['path', 'other process p50', 'p99', 'own replica p50', 'p99', 'lost']];
for (const path of ['kit', 'hand', 'direct'] as const) {
  const runs = latencyRuns[path];
  const own = path === 'direct' ? ['- (applied as made)', '-'] : [ms(pick(runs, 'ownP50')), ms(pick(runs, 'ownP99'))];
  table.push([label[path], ms(pick(runs, 'p50')), ms(pick(runs, 'p99')), ...own, String(Math.max(...runs.map((run) => run.lost)))]);
}
const floodTable = [['writes', 'path', 'applied by the reader', 'writer CPU', 'reader CPU', 'Redis CPU', 'writes/entry', 'lost']];
for (const [burst, runs] of floodRuns) {
  for (const path of ['kit', 'hand'] as const) {
    const r = runs[path];
    floodTable.push([
      burst === 1 ? 'one per task' : `${burst} per task`,
      label[path],
      perSecond(pick(r, 'rate')),
      micros(pick(r, 'writerCpu')),
      micros(pick(r, 'readerCpu')),
      micros(pick(r, 'redisCpu')),
      pick(r, 'writesPerEntry').toFixed(1),
      String(Math.max(...r.map((run) => run.lost))),
    ]);
  }
}
for (const [title, rowsOfTable] of [
  ['write → applied, medians over the rounds', table],
  ['Writes through one stream as fast as they go, medians over the rounds (CPU per write the reader applied)', floodTable],
] as const) {
  const widths = rowsOfTable[0].map((_, i) => Math.max(...rowsOfTable.map((row) => row[i].length)));
  console.log(`\n${title}\n`);
  for (const row of rowsOfTable) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

const rows: Row[] = [];
const kit = latencyRuns.kit;
const hand = latencyRuns.hand;
const lostAny = (runs: Array<{ lost: number }>) => runs.some((run) => run.lost !== 0);
const latencyOf = (runs: LatencyFigures[], own: boolean) =>
  own ? `p50 ${ms(pick(runs, 'ownP50'))}, p99 ${ms(pick(runs, 'ownP99'))}` : `p50 ${ms(pick(runs, 'p50'))}, p99 ${ms(pick(runs, 'p99'))}`;
for (const own of [false, true]) {
  // The goal is on the median: p99 on a shared machine measures the scheduler more than the path.
  const ratio = pairedRatio(kit, hand, own ? 'ownP50' : 'p50');
  rows.push({
    benchmark: own ? "write → applied in the writer's own replica" : `write → applied in the other process (${rate} writes/s)`,
    ours: latencyOf(kit, own),
    baseline: `${latencyOf(hand, own)} by hand${own ? '' : `; no Redis: ${latencyOf(latencyRuns.direct, false)}`}`,
    ratio: `${times(ratio)} (p50)`,
    goal: 'p50 ≤ 1.5×, nothing lost',
    met: ratio <= 1.5 && !lostAny([...kit, ...hand]),
  });
}
for (const [burst, runs] of floodRuns) {
  const ratio = pairedRatio(runs.kit, runs.hand, 'rate');
  rows.push({
    benchmark: `writes applied per second by the other process, ${burst === 1 ? 'one write per task' : `${burst} writes per task`}`,
    ours: perSecond(pick(runs.kit, 'rate')),
    baseline: `${perSecond(pick(runs.hand, 'rate'))} by hand`,
    ratio: times(ratio),
    goal: '≥ 1×, nothing lost',
    met: ratio >= 1 && !lostAny([...runs.kit, ...runs.hand]),
  });
}

if (!printRows('Redis (take figures from an idle machine)', rows)) {
  console.log('\nSome goals were NOT MET.');
  process.exitCode = 1;
}
