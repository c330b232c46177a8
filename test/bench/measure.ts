/**
 * Helpers for benchmarks that compare the kit with a baseline doing the same
 * work, measured in the same process. The machine's load drifts while a
 * benchmark runs, so the two are timed in alternating blocks and each block of
 * ours is compared with the baseline block next to it: drift hits both alike,
 * and the median of those paired ratios shrugs off the odd disturbed block.
 */

/** Per-call times of the kit and its baseline, in microseconds (medians of the blocks). */
export interface Comparison {
  ours: number;
  baseline: number;
  /** Median over the blocks of ours ÷ baseline. */
  ratio: number;
}

export interface CompareOptions {
  /** Alternating pairs of blocks (default 21). */
  blocks?: number;
  /** Roughly how long one block runs, in ms (default 5). */
  blockMs?: number;
}

/** Times two synchronous operations in alternating blocks (see the module comment). */
export function compare(ours: (i: number) => void, baseline: (i: number) => void, options: CompareOptions = {}): Comparison {
  const { blocks = 21, blockMs = 5 } = options;
  // Until both are compiled by the optimising tier, the first blocks time the compiler, not the code.
  const warm = performance.now() + 200;
  while (performance.now() < warm) {
    callsPerBlock(ours, blockMs);
    callsPerBlock(baseline, blockMs);
  }
  const oursCalls = callsPerBlock(ours, blockMs);
  const baselineCalls = callsPerBlock(baseline, blockMs);
  const oursTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let block = 0; block < blocks; block++) {
    oursTimes.push(timeBlock(ours, oursCalls, block * oursCalls));
    baselineTimes.push(timeBlock(baseline, baselineCalls, block * baselineCalls));
  }
  return summarise(oursTimes, baselineTimes);
}

/** Times two asynchronous operations in alternating blocks of `calls` each (see the module comment). */
export async function compareAsync(
  ours: (i: number) => Promise<void>,
  baseline: (i: number) => Promise<void>,
  { calls, blocks = 9, warmup = 200 }: { calls: number; blocks?: number; warmup?: number },
): Promise<Comparison> {
  for (let i = 0; i < warmup; i++) {
    await ours(i);
    await baseline(i);
  }
  const oursTimes: number[] = [];
  const baselineTimes: number[] = [];
  let i = warmup;
  for (let block = 0; block < blocks; block++) {
    for (const [run, times] of [[ours, oursTimes], [baseline, baselineTimes]] as const) {
      // The median call of a block: a round trip that waits on a busy core is an outlier, not the cost.
      const samples: number[] = [];
      for (let n = 0; n < calls; n++) {
        const start = performance.now();
        await run(i++);
        samples.push((performance.now() - start) * 1000);
      }
      times.push(median(samples));
    }
  }
  return summarise(oursTimes, baselineTimes);
}

export function summarise(oursTimes: number[], baselineTimes: number[]): Comparison {
  return {
    ours: median(oursTimes),
    baseline: median(baselineTimes),
    ratio: median(oursTimes.map((time, block) => time / baselineTimes[block])),
  };
}

/** How many calls of `run` take about `blockMs`, after warming it up. */
function callsPerBlock(run: (i: number) => void, blockMs: number): number {
  let calls = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) run(i);
    const elapsed = performance.now() - start;
    if (elapsed >= blockMs / 4) return Math.max(1, Math.round((calls * blockMs) / elapsed));
    calls *= 2;
  }
}

function timeBlock(run: (i: number) => void, calls: number, first: number): number {
  const start = performance.now();
  for (let i = first; i < first + calls; i++) run(i);
  return ((performance.now() - start) * 1000) / calls;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The value below which `fraction` of `values` lie (nearest rank): `quantile(latencies, 0.99)` is their p99. */
export function quantile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** One line of the report: what was compared, the figures, the goal and whether it was met. */
export interface Row {
  benchmark: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean;
}

/** Prints the rows as a table; returns whether every goal was met. */
export function printRows(title: string, rows: Row[]): boolean {
  const headers = ['benchmark', 'ours', 'baseline', 'ratio', 'goal', 'result'] as const;
  const cells = rows.map((row) => [row.benchmark, row.ours, row.baseline, row.ratio, row.goal, row.met ? 'MET' : 'NOT MET']);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
  return rows.every((row) => row.met);
}

export const us = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} µs`;
export const times = (ratio: number) => (ratio >= 0.1 ? `${ratio.toFixed(2)}×` : `1/${Math.round(1 / ratio)}×`);
