import cluster, { type Worker } from 'node:cluster';

/** The message a worker sends the primary once it serves, with the line the command prints. */
export interface ServingMessage {
  type: 'juggler-elements:serving';
  line: string;
}

export function isServingMessage(message: unknown): message is ServingMessage {
  return (message as ServingMessage | null)?.type === 'juggler-elements:serving' && typeof (message as ServingMessage).line === 'string';
}

export interface WorkerPoolOptions {
  /** Worker processes to keep running. */
  count: number;
  /** Writes one line of the command's log. */
  say: (text: string) => void;
  /** Called once, when every worker serves, with the line the first of them sent. */
  onServing: (line: string) => void;
  /** How long a worker may take to serve, in ms (default {@link defaultStartTimeout}). */
  startTimeout?: number;
}

/** How long the primary waits for its workers to close their connections after SIGINT or SIGTERM, in ms. */
export const stopTimeout = 10_000;
/**
 * How long a worker may take to serve, in ms: a worker waits at most 10 s for
 * Redis before it serves all the same, so one that takes longer is stuck (an
 * app that never returns) and is stopped as one that failed.
 */
export const defaultStartTimeout = 30_000;
/**
 * A worker ended by SIGINT or SIGTERM may be one of a whole group being
 * stopped (Ctrl-C, a service manager): the primary's own signal may be handled
 * a moment after it sees that exit. It waits this long before it counts the
 * exit as a failure.
 */
const signalGrace = 200;
/** A worker that ran this long before it exited was not crash-looping: the next one starts at once. */
const steadyRun = 10_000;
const firstRestartDelay = 250;
const maxRestartDelay = 30_000;

interface Slot {
  index: number;
  worker: Worker;
  startedAt: number;
  restartDelay: number;
  serving: boolean;
}

/**
 * The primary process of `serve --workers <n>`: runs `count` node:cluster
 * workers, each running the command as a server on the same port (the primary
 * accepts connections and hands them out in turn), and keeps them running.
 *
 * Until every worker serves, a worker that exits means the command cannot run
 * (the app module throws, the port is taken): the others are stopped and the
 * command exits with 1, as a single process would. A worker that has not
 * served within `startTimeout` is killed and counts as one that exited. After that, a worker that
 * exits is replaced, at once if it had run a while, or after a growing wait
 * (250 ms to 30 s) if it keeps failing, so a crash loop does not spin the CPU.
 * Its clients reconnect to the other workers meanwhile. SIGINT or SIGTERM stops
 * every worker (each closes its connections with 1001) and exits with 0; past
 * {@link stopTimeout} the ones left are killed. Workers end by themselves if
 * the primary dies (node:cluster ends a worker whose primary is gone).
 */
export function runWorkerPool({ count, say, onServing, startTimeout = defaultStartTimeout }: WorkerPoolOptions): void {
  // Round-robin is the default on Linux only; long-lived WebSockets need the even spread on every platform.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const slots: Array<Slot | undefined> = [];
  const restartTimers = new Set<ReturnType<typeof setTimeout>>();
  let starting = true;
  let stopping = false;
  let exitCode = 0;

  const start = (index: number, restartDelay: number) => {
    const worker = cluster.fork({ JUGGLER_WORKER: String(index) });
    const slot: Slot = { index, worker, startedAt: Date.now(), restartDelay, serving: false };
    slots[index - 1] = slot;
    // A worker that dies while the primary writes to it (handing it a connection) makes the write fail: said, not thrown.
    worker.on('error', (error) => say(`worker ${index}: ${error.message}`));
    const stuck = setTimeout(() => {
      say(`worker ${index} (pid ${worker.process.pid}) has not served within ${startTimeout / 1000} s; stopping it`);
      worker.process.kill('SIGKILL');
    }, startTimeout);
    worker.on('message', (message: unknown) => {
      if (!isServingMessage(message) || slot.serving) return;
      clearTimeout(stuck);
      slot.serving = true;
      if (!starting) say(`worker ${index} (pid ${worker.process.pid}) serves`);
      else if (slots.every((other) => other?.serving)) {
        starting = false;
        onServing(message.line);
      }
    });
    worker.once('exit', (code, signal) => {
      clearTimeout(stuck);
      if (slots[index - 1] === slot) slots[index - 1] = undefined;
      if (signal === 'SIGINT' || signal === 'SIGTERM') setTimeout(() => exited(slot, code, signal), signalGrace);
      else exited(slot, code, signal);
    });
  };

  const exited = (slot: Slot, code: number | null, signal: string | null) => {
    if (stopping) return finishWhenAllExited();
    const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
    if (starting) {
      say(`worker ${slot.index} ${how} before it served; stopping`);
      return stop(1);
    }
    const ranSteadily = Date.now() - slot.startedAt >= steadyRun;
    const delay = ranSteadily ? 0 : Math.min(maxRestartDelay, slot.restartDelay === 0 ? firstRestartDelay : slot.restartDelay * 2);
    say(`worker ${slot.index} (pid ${slot.worker.process.pid}) ${how}; starting another${delay ? ` in ${delay} ms` : ''}`);
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      start(slot.index, delay);
    }, delay);
    restartTimers.add(timer);
  };

  const live = () => slots.filter((slot): slot is Slot => slot !== undefined && !slot.worker.isDead());

  const finishWhenAllExited = () => {
    if (live().length === 0) process.exit(exitCode);
  };

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const timer of restartTimers) clearTimeout(timer);
    for (const slot of live()) slot.worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const slot of live()) slot.worker.process.kill('SIGKILL');
    }, stopTimeout).unref();
    finishWhenAllExited();
  };

  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  for (let index = 1; index <= count; index++) start(index, 0);
}
