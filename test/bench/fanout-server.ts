/**
 * The server side of `npm run bench:fanout`, one process per run: the kit's
 * `listen()` broadcasting a shared `LocalState`, or one of two baselines that
 * send the same DATA frames to every client with `ws` alone. The parent drives
 * it over IPC: `ready` (with the idle memory), `go` (tick for the window),
 * `result` (CPU and memory over the window).
 *
 * Every tick writes the sequence number and the send time (`/seq`, `/t`,
 * ms since the epoch, fractional) first, then 20 numbers and a slide of a
 * 60-sample window; the load process reads `/seq` and `/t` from each frame.
 */
import * as ws from 'ws';
import { WebSocketServer } from 'ws';
import { LocalState } from '../../src/core/local-state.js';
import { listen } from '../../src/node/listen.js';

export type ServerMode = 'kit' | 'ws-string' | 'ws-framed';

interface Go {
  type: 'go';
  seconds: number;
}

const mode = process.argv[2] as ServerMode;
/** Bytes of text replaced every tick besides the dashboard (0: none), to make slow readers fill their buffers sooner. */
const padding = Number(process.argv[3] ?? 0);
const sendHighWaterMark = process.argv[4] ? Number(process.argv[4]) : undefined;
/** Ticks before the measured window: the first frames time the compiler, not the fan-out. */
const warmupTicks = Number(process.argv[5]);

const now = () => performance.timeOrigin + performance.now();
const round = (ms: number) => Math.round(ms * 100) / 100;
const values = (seq: number) => Array.from({ length: 20 }, (_, i) => Math.round(Math.sin(seq / 10 + i) * 1e4) / 100);
const pad = (seq: number) => (padding > 0 ? String(seq % 10).repeat(padding) : undefined);

function initialState() {
  return { seq: 0, t: 0, values: values(0), window: Array.from({ length: 60 }, (_, i) => i), ...(padding > 0 ? { pad: pad(0) } : {}) };
}

/** The baselines' DATA frame for one tick: the operations the kit sends, built and serialised by hand. */
function baselineFrame(seq: number, t: number): string {
  const ops: unknown[] = [
    { op: 'add', path: '/seq', value: seq },
    { op: 'add', path: '/t', value: t },
  ];
  values(seq).forEach((value, i) => ops.push({ op: 'replace', path: `/values/${i}`, value }));
  ops.push({ op: 'remove', path: '/window/0' }, { op: 'add', path: '/window/-', value: seq + 60 });
  if (padding > 0) ops.push({ op: 'add', path: '/pad', value: pad(seq) });
  return `{"type":"DATA","payload":${JSON.stringify(ops)}}`;
}

interface SenderClass {
  frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[];
}
// ws exports its Sender class, which its type declarations leave out.
const { Sender } = ws as unknown as { Sender: SenderClass };

let tick: (seq: number) => void;
let connections: () => number;
let port: number;

if (mode === 'kit') {
  const shared = new LocalState({ delay: 'manual', data: initialState() });
  const server = await listen({
    port: 0,
    sharedState: shared,
    maxConnections: { total: 100_000, perAddress: 100_000 },
    ...(sendHighWaterMark ? { sendHighWaterMark } : {}),
  });
  tick = (seq) => {
    shared.setAt('/seq', seq);
    shared.setAt('/t', round(now()));
    values(seq).forEach((value, i) => shared.setAt(`/values/${i}`, value));
    shared.removeAt('/window/0');
    shared.insertAt('/window/-', seq + 60);
    if (padding > 0) shared.setAt('/pad', pad(seq)!);
    shared.flush();
  };
  connections = () => server.connectionCount;
  port = server.port;
} else {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  if (mode === 'ws-string') {
    tick = (seq) => {
      const text = baselineFrame(seq, round(now()));
      for (const client of wss.clients) client.send(text);
    };
  } else {
    tick = (seq) => {
      const frame = Sender.frame(Buffer.from(baselineFrame(seq, round(now()))), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false });
      for (const client of wss.clients) {
        const socket = (client as unknown as { _socket: import('node:net').Socket })._socket;
        socket.cork();
        socket.write(frame[0]);
        socket.write(frame[1]);
        socket.uncork();
      }
    };
  }
  connections = () => wss.clients.size;
  port = (wss.address() as { port: number }).port;
}

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, connections: connections() };
}

const empty = memory();
process.on('message', async (message: { type: 'idle' | 'exit' } | Go) => {
  if (message.type === 'idle') {
    process.send!({ type: 'idle', empty, loaded: memory() });
  } else if (message.type === 'go') {
    const seconds = message.seconds;
    let rssStart = 0;
    let cpuStart = process.cpuUsage();
    let started = performance.now();
    let seq = 0;
    // Ticks on a 100 ms grid, so a slow fan-out delays one tick instead of shifting all the later ones.
    // The first second warms up (the load process counts only the ticks after it).
    await new Promise<void>((done) => {
      const next = () => {
        if (seq === warmupTicks) {
          rssStart = process.memoryUsage().rss;
          cpuStart = process.cpuUsage();
          started = performance.now();
        }
        tick(++seq);
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
    const end = process.memoryUsage();
    process.send!({
      type: 'result',
      ticks: seq,
      tickRate: ((seq - warmupTicks) * 1000) / Math.max(elapsed, seconds * 1000),
      cpuMicros: cpu.user + cpu.system,
      rssStart,
      rssEnd: end.rss,
      connections: connections(),
    });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});
process.send!({ type: 'ready', port });
