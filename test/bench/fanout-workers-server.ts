/**
 * The server side of `npm run bench:fanout -- --workers`: W node:cluster
 * workers sharing one port, as `juggler-elements serve --workers W` runs them,
 * each a kit server whose connections follow a replica of one shared state
 * kept through Redis. The primary accepts the connections, hands them out in
 * turn, and writes the ticks to the shared state (the application's one
 * writer); every worker reads them from the Redis stream and fans them out to
 * its own clients.
 *
 * It speaks to the parent as `fanout-server.ts` does (`ready`, `idle`, `go`,
 * `result`, `exit`); CPU and memory are the sums over the primary and every
 * worker (not Redis's own).
 */
import cluster, { type Worker } from 'node:cluster';
import { listen } from '../../src/node/listen.js';
import { RedisSharedState } from '../../src/node/redis/redis-shared-state.js';
import { initialState, memory, runTicks, tickWrites, type Go, type Memory } from './fanout-ticks.js';

const [redisUrl, workersText, warmupText, key] = process.argv.slice(2);
const workerCount = Number(workersText);
const warmupTicks = Number(warmupText);

type WorkerMessage = { type: 'listening'; port: number } | { type: 'memory'; memory: Memory } | { type: 'usage'; cpuMicros: number; rss: number };

if (cluster.isWorker) {
  const shared = new RedisSharedState({ url: redisUrl, key, delay: 0 });
  await shared.ready;
  const server = await listen({ port: 0, sharedState: shared.state, maxConnections: { total: 100_000, perAddress: 100_000 } });
  let cpuStart = process.cpuUsage();
  process.on('message', (message: { type: 'memory' | 'mark' | 'usage' }) => {
    if (message.type === 'memory') process.send!({ type: 'memory', memory: memory(server.connectionCount) });
    else if (message.type === 'mark') cpuStart = process.cpuUsage();
    else if (message.type === 'usage') {
      const cpu = process.cpuUsage(cpuStart);
      process.send!({ type: 'usage', cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss });
    }
  });
  process.send!({ type: 'listening', port: server.port });
} else {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const workers: Worker[] = Array.from({ length: workerCount }, () => cluster.fork());
  for (const worker of workers) worker.on('exit', (code) => console.error(`a bench worker exited with ${code}`));
  /** Asks every worker the same question and resolves with their answers. */
  const ask = <T extends WorkerMessage>(question: string, answer: T['type']): Promise<T[]> =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise<T>((resolve) => {
            const onMessage = (message: WorkerMessage) => {
              if (message.type !== answer) return;
              worker.off('message', onMessage);
              resolve(message as T);
            };
            worker.on('message', onMessage);
            if (question) worker.send({ type: question });
          }),
      ),
    );
  const [{ port }] = await ask<{ type: 'listening'; port: number }>('', 'listening');
  const writer = new RedisSharedState({ url: redisUrl, key, delay: 'manual', initialData: initialState(0) });
  await writer.ready;

  const sum = (memories: Memory[]): Memory => {
    const own = memory(0);
    return memories.reduce((total, m) => ({ rss: total.rss + m.rss, heapUsed: total.heapUsed + m.heapUsed, connections: total.connections + m.connections }), own);
  };
  const everyone = async () => sum((await ask<{ type: 'memory'; memory: Memory }>('memory', 'memory')).map((answer) => answer.memory));
  const empty = await everyone();

  process.on('message', async (message: { type: 'idle' | 'exit' } | Go) => {
    if (message.type === 'idle') {
      process.send!({ type: 'idle', empty, loaded: await everyone() });
    } else if (message.type === 'go') {
      const rssStart = (await everyone()).rss;
      const ticked = await runTicks(message.seconds, warmupTicks, (seq, t) => tickWrites(writer, seq, t, 0), () => {
        for (const worker of workers) worker.send({ type: 'mark' });
      });
      const usages = await ask<{ type: 'usage'; cpuMicros: number; rss: number }>('usage', 'usage');
      process.send!({
        type: 'result',
        ticks: ticked.ticks,
        tickRate: ticked.tickRate,
        cpuMicros: ticked.cpuMicros + usages.reduce((total, usage) => total + usage.cpuMicros, 0),
        rssStart,
        rssEnd: process.memoryUsage().rss + usages.reduce((total, usage) => total + usage.rss, 0),
      });
    } else if (message.type === 'exit') {
      for (const worker of workers) worker.process.kill('SIGKILL');
      process.exit(0);
    }
  });
  process.send!({ type: 'ready', port });
}
