/** Small helpers for benchmarks that compare against a baseline measured in the same run. */

/** Median time per call of `run`, in microseconds, over `rounds` rounds of `iterations` calls. */
export function timePerCall(run: (i: number) => void, iterations: number, rounds = 7): number {
  for (let i = 0; i < Math.min(iterations, 200); i++) run(i);
  const samples: number[] = [];
  let i = 0;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let n = 0; n < iterations; n++) run(i++);
    samples.push(((performance.now() - start) * 1000) / iterations);
  }
  return median(samples);
}

/** Median of the per-call times of an async operation, in microseconds. */
export async function timeAsync(run: (i: number) => Promise<void>, iterations: number, warmup = 200): Promise<number> {
  for (let i = 0; i < warmup; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run(warmup + i);
    samples.push((performance.now() - start) * 1000);
  }
  return median(samples);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Row {
  benchmark: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean;
}

export function printRows(rows: Row[]): void {
  const headers = ['benchmark', 'ours', 'baseline', 'ratio', 'target', 'met'] as const;
  const cells = rows.map((row) => headers.map((h) => (h === 'met' ? (row.met ? 'yes' : 'NO') : row[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ');
  console.log(line(headers));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

export const us = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} µs`;
