/**
 * The server side of `npm run bench:fanout`, one process per run: the kit's
 * `listen()` broadcasting a shared `LocalState`, or one of two baselines that
 * send the same DATA frames to every client with `ws` alone. The parent drives
 * it over IPC: `ready` (with the idle memory), `go` (tick for the window),
 * `result` (CPU and memory over the window). The ticks are in `fanout-ticks.ts`.
 */
import * as ws from 'ws';
import { WebSocketServer } from 'ws';
import { LocalState } from '../../src/core/local-state.js';
import { listen } from '../../src/node/listen.js';
import { initialState, memory, pad, runTicks, tickWrites, values, type Go } from './fanout-ticks.js';

export type ServerMode = 'kit' | 'ws-string' | 'ws-framed';

const mode = process.argv[2] as ServerMode;
/** Bytes of text replaced every tick besides the dashboard (0: none), to make slow readers fill their buffers sooner. */
const padding = Number(process.argv[3] ?? 0);
const sendHighWaterMark = process.argv[4] ? Number(process.argv[4]) : undefined;
/** Ticks before the measured window: the first frames time the compiler, not the fan-out. */
const warmupTicks = Number(process.argv[5]);

/** The baselines' DATA frame for one tick: the operations the kit sends, built and serialised by hand. */
function baselineFrame(seq: number, t: number): string {
  const ops: unknown[] = [
    { op: 'add', path: '/seq', value: seq },
    { op: 'add', path: '/t', value: t },
  ];
  values(seq).forEach((value, i) => ops.push({ op: 'replace', path: `/values/${i}`, value }));
  ops.push({ op: 'remove', path: '/window/0' }, { op: 'add', path: '/window/-', value: seq + 60 });
  if (padding > 0) ops.push({ op: 'add', path: '/pad', value: pad(seq, padding) });
  return `{"type":"DATA","payload":${JSON.stringify(ops)}}`;
}

interface SenderClass {
  frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[];
}
// ws exports its Sender class, which its type declarations leave out.
const { Sender } = ws as unknown as { Sender: SenderClass };

let tick: (seq: number, t: number) => void;
let connections: () => number;
let port: number;

if (mode === 'kit') {
  const shared = new LocalState({ delay: 'manual', data: initialState(padding) });
  const server = await listen({
    port: 0,
    sharedState: shared,
    maxConnections: { total: 100_000, perAddress: 100_000 },
    ...(sendHighWaterMark ? { sendHighWaterMark } : {}),
  });
  tick = (seq, t) => {
    tickWrites(shared, seq, t, padding);
    shared.flush();
  };
  connections = () => server.connectionCount;
  port = server.port;
} else {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  if (mode === 'ws-string') {
    tick = (seq, t) => {
      const text = baselineFrame(seq, t);
      for (const client of wss.clients) client.send(text);
    };
  } else {
    tick = (seq, t) => {
      const frame = Buffer.concat(Sender.frame(Buffer.from(baselineFrame(seq, t)), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));
      for (const client of wss.clients) {
        (client as unknown as { _socket: import('node:net').Socket })._socket.write(frame);
      }
    };
  }
  connections = () => wss.clients.size;
  port = (wss.address() as { port: number }).port;
}

const empty = memory(connections());
process.on('message', async (message: { type: 'idle' | 'exit' } | Go) => {
  if (message.type === 'idle') {
    process.send!({ type: 'idle', empty, loaded: memory(connections()) });
  } else if (message.type === 'go') {
    const ticked = await runTicks(message.seconds, warmupTicks, tick);
    const end = process.memoryUsage();
    process.send!({ type: 'result', ...ticked, rssEnd: end.rss, connections: connections() });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});
process.send!({ type: 'ready', port });
