/**
 * `npm run bench:fanout`: what broadcasting one shared state to many
 * connections costs the server, against two `ws` baselines measured in the
 * same run: a minimal server sending the same JSON string to every client,
 * and the floor, the same frame built once and written to every socket.
 *
 * Each run is one server process and one or two load processes holding the
 * clients (so the server's CPU is its own); the server ticks at 10 Hz for a
 * fixed window and every client checks its sequence of ticks and times each
 * frame from the server's write to its receipt. The three servers run in
 * turn, in a rotating order, for every round and size; figures are medians
 * over the rounds. Options: `--sizes=1000,2000,5000,10000`, `--seconds=10`,
 * `--rounds=3`, `--no-slow` (skip the slow-consumer runs).
 *
 * Then the same state served by node:cluster workers, each following it
 * through a Redis stream (as `serve --workers` runs), with one worker and with
 * several, on a redis-server the benchmark starts: how the work divides
 * among processes. Options: `--workers=1,2`, `--worker-sizes=2000,4000`,
 * `--no-workers`.
 *
 * Traffic stays on 127.0.0.0/8; every process is bounded in time.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect } from './ipc.js';
import { benchOptions } from './options.js';
import { median, printRows, times, type Row } from './measure.js';
import type { ServerMode } from './fanout-server.js';
import { ensureRedisServer, startRedis, type TestRedis } from '../support/redis.mjs';

const options = benchOptions(
  { sizes: '1000,2000,5000,10000', seconds: '10', rounds: '3', 'no-slow': false, workers: '1,2', 'worker-sizes': '2000,4000', 'no-workers': false },
  'Usage: npm run bench:fanout -- [--sizes=1000,2000,5000,10000] [--seconds=10] [--rounds=3] [--no-slow] [--workers=1,2] [--worker-sizes=2000,4000] [--no-workers]',
);
const sizes = options.numbers('sizes');
const seconds = options.number('seconds');
const rounds = options.number('rounds');
const slowRun = !options['no-slow'];
const workerCounts = options.numbers('workers');
const workerSizes = options.numbers('worker-sizes');
const workersRun = !options['no-workers'];
// The workers' runs come last: find (or install) redis-server now, so a machine without one fails before half an hour of runs, not after.
if (workersRun) {
  try {
    ensureRedisServer();
  } catch (error) {
    console.error(`${(error as Error).message}\nOr skip the workers' runs with --no-workers.`);
    process.exit(2);
  }
}
/** Ticks the server sends before the measured window (a second: the first frames time the compiler). */
const warmupTicks = 10;
const modes: ServerMode[] = ['kit', 'ws-string', 'ws-framed'];
const label: Record<ServerMode, string> = { kit: 'kit listen()', 'ws-string': 'ws, same string', 'ws-framed': 'ws, framed once' };

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** The Redis of the workers' runs, and a count of runs that gives each its own key. */
let redis: TestRedis | undefined;
let runs = 0;

interface RunOptions {
  mode: ServerMode;
  /** node:cluster workers following the state through Redis (`fanout-workers-server.ts`); without, one process. */
  workers?: number;
  clients: number;
  slow?: number;
  padding?: number;
  sendHighWaterMark?: number;
  seconds?: number;
}

interface RunResult {
  mode: ServerMode;
  clients: number;
  /** Server CPU per frame delivered to a client, µs, and the part of it spent in the kernel. */
  cpuPerFrame: number;
  systemPerFrame: number;
  p50: number;
  p99: number;
  lost: number;
  delivered: number;
  expected: number;
  tickRate: number;
  /** Idle memory per connection, bytes. */
  rssPerConnection: number;
  heapPerConnection: number;
  rssStart: number;
  rssEnd: number;
  closed: number;
}

function percentile(histogram: number[], fraction: number): number {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= total * fraction) return i * 0.1;
  }
  return Infinity;
}

async function run(options: RunOptions): Promise<RunResult> {
  const window = options.seconds ?? seconds;
  const execArgv = ['--import', 'tsx', '--expose-gc', ...(process.env.FANOUT_SERVER_FLAGS ?? '').split(' ').filter(Boolean)];
  const server = options.workers
    ? fork(here('./fanout-workers-server.ts'), [redis!.url, String(options.workers), String(warmupTicks), `fanout-${++runs}`], { execArgv })
    : fork(here('./fanout-server.ts'), [options.mode, String(options.padding ?? 0), String(options.sendHighWaterMark ?? ''), String(warmupTicks)], { execArgv });
  const loads: ChildProcess[] = [];
  // Whatever happens, nothing outlives the run.
  const killAll = () => [server, ...loads].forEach((child) => child.exitCode === null && child.kill('SIGKILL'));
  const deadline = setTimeout(killAll, (window + 120) * 1000);
  try {
    const { port } = await expect<{ port: number }>(server, 'ready', 30_000);
    // Two load processes past 2,000 clients: one process parsing 20,000+ frames a second would time itself.
    const parts = options.clients > 2000 ? 2 : 1;
    for (let part = 0; part < parts; part++) {
      const count = Math.floor(options.clients / parts) + (part < options.clients % parts ? 1 : 0);
      const slow = Math.floor((options.slow ?? 0) / parts) + (part < (options.slow ?? 0) % parts ? 1 : 0);
      const command = `ulimit -n 20000 2>/dev/null || ulimit -n $(ulimit -Hn); exec "${process.execPath}" --import tsx "${here('./fanout-load.ts')}" ws://127.0.0.1:${port}/ws ${count} ${slow} ${2 + part * 8}`;
      loads.push(spawn('bash', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    }
    await Promise.all(loads.map((load) => expect(load, 'connected', 120_000)));
    server.send({ type: 'idle' });
    const idle = await expect<{ empty: { rss: number; heapUsed: number }; loaded: { rss: number; heapUsed: number; connections: number } }>(server, 'idle', 30_000);
    for (const load of loads) load.send({ type: 'measure', after: warmupTicks });
    server.send({ type: 'go', seconds: window });
    const result = await expect<{ ticks: number; tickRate: number; cpuMicros: number; systemMicros?: number; rssStart: number; rssEnd: number }>(server, 'result', (window + 60) * 1000);
    const reports = await Promise.all(
      loads.map((load) => {
        const report = expect<{ histogram: number[]; received: number; receivedBySlow: number; lost: number; lastSeen: number[]; open: number }>(load, 'report', 30_000);
        load.send({ type: 'report', last: result.ticks });
        return report;
      }),
    );
    const histogram = reports[0].histogram.map((n, i) => reports.reduce((sum, report) => sum + report.histogram[i], n - reports[0].histogram[i]));
    const fast = options.clients - (options.slow ?? 0);
    const received = reports.reduce((sum, report) => sum + report.received, 0);
    const delivered = received + reports.reduce((sum, report) => sum + report.receivedBySlow, 0);
    // Lost: gaps in each client's sequence, and the ticks a client never saw at the end.
    const tail = reports.flatMap((report) => report.lastSeen).reduce((sum, last) => sum + Math.max(0, result.ticks - Math.max(last, 0)), 0);
    const lost = reports.reduce((sum, report) => sum + report.lost, 0) + tail;
    const open = reports.reduce((sum, report) => sum + report.open, 0);
    return {
      mode: options.mode,
      clients: options.clients,
      cpuPerFrame: result.cpuMicros / delivered,
      systemPerFrame: (result.systemMicros ?? NaN) / delivered,
      p50: percentile(histogram, 0.5),
      p99: percentile(histogram, 0.99),
      lost,
      delivered,
      expected: fast * (result.ticks - warmupTicks),
      tickRate: result.tickRate,
      rssPerConnection: (idle.loaded.rss - idle.empty.rss) / options.clients,
      heapPerConnection: (idle.loaded.heapUsed - idle.empty.heapUsed) / options.clients,
      rssStart: result.rssStart,
      rssEnd: result.rssEnd,
      closed: options.clients - open,
    };
  } finally {
    for (const child of [server, ...loads]) if (child.connected) child.send({ type: 'exit' });
    await Promise.all([server, ...loads].map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    clearTimeout(deadline);
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function summary(results: RunResult[]) {
  const pick = (key: keyof RunResult) => median(results.map((result) => result[key] as number));
  return {
    cpuPerFrame: pick('cpuPerFrame'),
    p50: pick('p50'),
    p99: pick('p99'),
    lost: Math.max(...results.map((result) => result.lost)),
    tickRate: pick('tickRate'),
    rssPerConnection: pick('rssPerConnection'),
    heapPerConnection: pick('heapPerConnection'),
    rssStart: pick('rssStart'),
    rssEnd: pick('rssEnd'),
    closed: Math.max(...results.map((result) => result.closed)),
  };
}
type Summary = ReturnType<typeof summary>;

/** Served at 10 Hz: no frame lost, p99 under 100 ms, and the ticks kept their pace. */
const served = (s: Summary) => s.lost === 0 && s.p99 < 100 && s.tickRate >= 9.5;

console.log(`Fan-out: ${sizes.join(', ')} clients, ${seconds} s at 10 Hz per run, ${rounds} round(s); server and load in separate processes.`);
const bySize = new Map<number, Record<ServerMode, Summary>>();
for (const clients of sizes) {
  const results: Record<ServerMode, RunResult[]> = { kit: [], 'ws-string': [], 'ws-framed': [] };
  for (let round = 0; round < rounds; round++) {
    // A rotating order: no server always runs first (cold) or last (after the others' sockets linger).
    for (let i = 0; i < modes.length; i++) {
      const mode = modes[(i + round + clients) % modes.length];
      const result = await run({ mode, clients });
      results[mode].push(result);
      console.log(
        `  ${String(clients).padStart(5)} ${label[mode].padEnd(16)} ${result.cpuPerFrame.toFixed(2)} µs/frame (${result.systemPerFrame.toFixed(2)} in the kernel)  p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  lost ${result.lost}  ${result.tickRate.toFixed(2)} Hz  ${kib(result.rssPerConnection)} RSS/conn`,
      );
    }
  }
  bySize.set(clients, { kit: summary(results.kit), 'ws-string': summary(results['ws-string']), 'ws-framed': summary(results['ws-framed']) });
}

const table = [
  ['clients', 'server', 'CPU/frame', 'p50', 'p99', 'lost', 'ticks/s', 'RSS/conn', 'heap/conn', 'CPU ÷ framed once', 'CPU ÷ ws'],
];
for (const [clients, summaries] of bySize) {
  for (const mode of modes) {
    const s = summaries[mode];
    table.push([
      String(clients),
      label[mode],
      `${s.cpuPerFrame.toFixed(2)} µs`,
      ms(s.p50),
      ms(s.p99),
      String(s.lost),
      s.tickRate.toFixed(2),
      kib(s.rssPerConnection),
      kib(s.heapPerConnection),
      times(s.cpuPerFrame / summaries['ws-framed'].cpuPerFrame),
      times(s.cpuPerFrame / summaries['ws-string'].cpuPerFrame),
    ]);
  }
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log();
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));

const rows: Row[] = [];
for (const [clients, summaries] of bySize) {
  const ratio = summaries.kit.cpuPerFrame / summaries['ws-framed'].cpuPerFrame;
  rows.push({
    benchmark: `server CPU per delivered frame, ${clients} clients at 10 Hz`,
    ours: `${summaries.kit.cpuPerFrame.toFixed(2)} µs`,
    baseline: `${summaries['ws-framed'].cpuPerFrame.toFixed(2)} µs framed once (ws string ${summaries['ws-string'].cpuPerFrame.toFixed(2)} µs)`,
    ratio: times(ratio),
    goal: '≤ 1.15×',
    met: ratio <= 1.15,
  });
}
const largest = (mode: ServerMode) => Math.max(0, ...[...bySize].filter(([, s]) => served(s[mode])).map(([clients]) => clients));
const kitLargest = largest('kit');
const wsLargest = largest('ws-string');
rows.push({
  benchmark: 'largest N served at 10 Hz: no frame lost, p99 < 100 ms',
  ours: String(kitLargest),
  baseline: `${wsLargest} ws, same string (framed once ${largest('ws-framed')})`,
  ratio: wsLargest && kitLargest ? times(kitLargest / wsLargest) : '-',
  goal: '≥ the ws baseline',
  met: kitLargest >= wsLargest,
});

{
  // Idle heap: what the kit keeps per connection beyond the ws socket itself, at the largest size run.
  const at = Math.max(...bySize.keys());
  const { kit, 'ws-string': bare } = bySize.get(at)!;
  const extra = kit.heapPerConnection - bare.heapPerConnection;
  rows.push({
    benchmark: `heap per idle connection beyond a bare ws socket, ${at} clients`,
    ours: `${kib(kit.heapPerConnection)} (+${kib(extra)})`,
    baseline: `${kib(bare.heapPerConnection)} ws`,
    ratio: times(kit.heapPerConnection / bare.heapPerConnection),
    goal: '≤ +1.5 KiB',
    met: extra <= 1536,
  });
}

{
  const biggestSize = Math.max(...bySize.keys());
  const biggest = bySize.get(biggestSize)!.kit;
  // The CPU a frame costs where the server keeps up: past that, catch-ups of parked connections add their own.
  const servedSize = kitLargest || biggestSize;
  const served = bySize.get(servedSize)!.kit;
  const perCore = 1e6 / (served.cpuPerFrame * 10);
  console.log(
    `\nIdle memory per connection (kit, ${biggestSize} clients): ${kib(biggest.rssPerConnection)} RSS, ${kib(biggest.heapPerConnection)} heap.` +
      `\nPer core at 10 Hz: about ${Math.round(perCore).toLocaleString('en')} clients by CPU (1 s ÷ (${served.cpuPerFrame.toFixed(2)} µs × 10), at ${servedSize} clients), ` +
      `${mib(biggest.rssPerConnection * perCore)} of RSS for them.`,
  );
}

if (slowRun) {
  // Ten of 1,000 clients stop reading. Each tick carries 2 KiB more, and the high-water mark is 64 KiB, so their
  // buffers fill and the server parks them within the window.
  const runs: Array<{ name: string; result: RunResult }> = [];
  for (let round = 0; round < Math.max(1, Math.min(rounds, 2)); round++) {
    for (const slow of round % 2 ? [10, 0] : [0, 10]) {
      runs.push({ name: slow ? '10 slow' : 'all fast', result: await run({ mode: 'kit', clients: 1000, slow, padding: 2048, sendHighWaterMark: 64 * 1024, seconds: Math.max(seconds, 20) }) });
    }
  }
  console.log(`\nSlow consumers: 1,000 clients, ticks of ${kib(2048)} more, sendHighWaterMark 64 KiB, ${Math.max(seconds, 20)} s (kit; fast clients' figures)`);
  for (const name of ['all fast', '10 slow']) {
    const s = summary(runs.filter((r) => r.name === name).map((r) => r.result));
    console.log(
      `  ${name.padEnd(9)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  lost ${s.lost}  RSS ${mib(s.rssStart)} at start, ${mib(s.rssEnd)} at end  closed ${s.closed}`,
    );
    if (name === '10 slow') {
      const fast = summary(runs.filter((r) => r.name === 'all fast').map((r) => r.result));
      rows.push({
        benchmark: '10 of 1,000 clients stop reading: the others',
        ours: `p99 ${ms(s.p99)}, lost ${s.lost}, RSS ${mib(s.rssStart)} → ${mib(s.rssEnd)}`,
        baseline: `all fast: p99 ${ms(fast.p99)}, lost ${fast.lost}`,
        ratio: times(s.p99 / fast.p99),
        goal: 'no loss, p99 < 100 ms, RSS growth < 32 MiB',
        met: s.lost === 0 && s.p99 < 100 && s.rssEnd - s.rssStart < 32 * 2 ** 20,
      });
    }
  }
}

if (workersRun) {
  redis = await startRedis();
  const byWorkers = new Map<number, Map<number, Summary>>();
  try {
    for (const clients of workerSizes) {
      const results = new Map<number, RunResult[]>(workerCounts.map((count) => [count, []]));
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < workerCounts.length; i++) {
          const count = workerCounts[(i + round) % workerCounts.length];
          const result = await run({ mode: 'kit', clients, workers: count });
          results.get(count)!.push(result);
          console.log(
            `  ${String(clients).padStart(5)} ${`${count} worker(s)`.padEnd(12)} ${result.cpuPerFrame.toFixed(2)} µs/frame  p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  lost ${result.lost}  ${result.tickRate.toFixed(2)} Hz`,
          );
        }
      }
      for (const [count, list] of results) {
        if (!byWorkers.has(count)) byWorkers.set(count, new Map());
        byWorkers.get(count)!.set(clients, summary(list));
      }
    }
  } finally {
    await redis.dispose();
  }
  console.log(`\nWorkers (node:cluster, the state through Redis; CPU of the primary and every worker, not Redis's; ${availableParallelism()} cores, the load processes on them too)`);
  const one = byWorkers.get(workerCounts[0])!;
  for (const [count, bySizeOfCount] of byWorkers) {
    for (const [clients, s] of bySizeOfCount) {
      const alone = bySize.get(clients)?.kit;
      console.log(
        `  ${String(count).padStart(2)} worker(s) ${String(clients).padStart(5)} clients: ${s.cpuPerFrame.toFixed(2)} µs/frame (${times(s.cpuPerFrame / one.get(clients)!.cpuPerFrame)} of ${workerCounts[0]} worker${alone ? `, ${times(s.cpuPerFrame / alone.cpuPerFrame)} of one process without Redis` : ''})  p99 ${ms(s.p99)}  lost ${s.lost}  ${s.tickRate.toFixed(2)} Hz  ${kib(s.rssPerConnection)} RSS/conn`,
      );
    }
  }
  const most = Math.max(...workerCounts);
  for (const clients of workerSizes) {
    const ratio = byWorkers.get(most)!.get(clients)!.cpuPerFrame / one.get(clients)!.cpuPerFrame;
    rows.push({
      benchmark: `CPU per delivered frame, ${most} workers through Redis, ${clients} clients`,
      ours: `${byWorkers.get(most)!.get(clients)!.cpuPerFrame.toFixed(2)} µs (all processes)`,
      baseline: `${one.get(clients)!.cpuPerFrame.toFixed(2)} µs with ${workerCounts[0]} worker`,
      ratio: times(ratio),
      goal: '≤ 1.15×: the work divides, capacity grows with the cores',
      met: ratio <= 1.15,
    });
  }
  const largestOf = (count: number) => Math.max(0, ...[...byWorkers.get(count)!].filter(([, s]) => served(s)).map(([clients]) => clients));
  rows.push({
    benchmark: `largest N served at 10 Hz by ${most} workers (of ${workerSizes.join(', ')})`,
    ours: String(largestOf(most)),
    baseline: `${largestOf(workerCounts[0])} with ${workerCounts[0]} worker`,
    ratio: largestOf(workerCounts[0]) ? times(largestOf(most) / largestOf(workerCounts[0])) : '-',
    goal: '≥ 1 worker (more only with idle cores)',
    met: largestOf(most) >= largestOf(workerCounts[0]),
  });
  const perCoreWorkers = 1e6 / (byWorkers.get(most)!.get(Math.max(...workerSizes))!.cpuPerFrame * 10);
  console.log(`  Per core at 10 Hz through Redis: about ${Math.round(perCoreWorkers).toLocaleString('en')} clients by CPU; k cores free for the server serve about k times that.`);
}

if (!printRows('Fan-out (take figures from an idle machine)', rows)) {
  console.log('\nSome goals were NOT MET.');
  process.exitCode = 1;
}
