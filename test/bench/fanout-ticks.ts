/**
 * What every server of `npm run bench:fanout` shares: the dashboard-like
 * state, the writes of one tick, the 10 Hz tick loop with its warm-up and CPU
 * count, and the memory figures.
 *
 * Every tick writes the sequence number and the send time (`/seq`, `/t`, ms
 * since the epoch, fractional) first, then 20 numbers and a slide of a
 * 60-sample window; the load process reads `/seq` and `/t` from each frame.
 */

/** The parent's message that starts the measured window. */
export interface Go {
  type: 'go';
  seconds: number;
}

export interface Memory {
  rss: number;
  heapUsed: number;
  connections: number;
}

/** The writes of a shared state that a tick makes: `LocalState` and `RedisSharedState` both have them. */
interface Writable {
  setAt(path: string, value: unknown): void;
  removeAt(path: string): void;
  insertAt(path: string, value: unknown): void;
}

export const now = () => performance.timeOrigin + performance.now();
export const roundTime = (ms: number) => Math.round(ms * 100) / 100;
export const values = (seq: number) => Array.from({ length: 20 }, (_, i) => Math.round(Math.sin(seq / 10 + i) * 1e4) / 100);
export const pad = (seq: number, padding: number) => (padding > 0 ? String(seq % 10).repeat(padding) : undefined);

export function initialState(padding: number) {
  return { seq: 0, t: 0, values: values(0), window: Array.from({ length: 60 }, (_, i) => i), ...(padding > 0 ? { pad: pad(0, padding) } : {}) };
}

/** One tick's writes, in the order the baselines' hand-built frame has them. */
export function tickWrites(state: Writable, seq: number, t: number, padding: number): void {
  state.setAt('/seq', seq);
  state.setAt('/t', t);
  values(seq).forEach((value, i) => state.setAt(`/values/${i}`, value));
  state.removeAt('/window/0');
  state.insertAt('/window/-', seq + 60);
  if (padding > 0) state.setAt('/pad', pad(seq, padding)!);
}

/** The memory of this process, after a full collection where `--expose-gc` allows one. */
export function memory(connections: number): Memory {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, connections };
}

/**
 * Ticks at 10 Hz for `warmupTicks` and then `seconds`, on a 100 ms grid, so a
 * slow fan-out delays one tick instead of shifting all the later ones. The
 * CPU of this process is counted from the end of the warm-up (`onWarm` runs
 * then), and the figures come after the last fan-out has had time to finish.
 */
export async function runTicks(seconds: number, warmupTicks: number, tick: (seq: number, t: number) => void, onWarm = () => {}) {
  let cpuStart = process.cpuUsage();
  let rssStart = 0;
  let started = performance.now();
  let seq = 0;
  await new Promise<void>((done) => {
    const next = () => {
      if (seq === warmupTicks) {
        rssStart = process.memoryUsage().rss;
        cpuStart = process.cpuUsage();
        started = performance.now();
        onWarm();
      }
      tick(++seq, roundTime(now()));
      // Bounded in time, not in ticks: a server that cannot keep 10 Hz sends fewer, as its tick rate shows.
      if (seq > warmupTicks && performance.now() - started >= seconds * 1000 - 50) return done();
      setTimeout(next, Math.max(0, started + (seq - (seq > warmupTicks ? warmupTicks : 0)) * 100 - performance.now()));
    };
    next();
  });
  const elapsed = performance.now() - started;
  // The last fan-out may still be writing (a large one yields to the event loop): let it finish.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cpu = process.cpuUsage(cpuStart);
  return { ticks: seq, tickRate: ((seq - warmupTicks) * 1000) / Math.max(elapsed, seconds * 1000), cpuMicros: cpu.user + cpu.system, systemMicros: cpu.system, rssStart };
}
