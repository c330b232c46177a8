/**
 * The load side of `npm run bench:fanout`: raw `ws` clients, each checking
 * that it sees every tick in order and timing each frame from the server's
 * write (`/t` in the data) to its receipt. The parent drives it over IPC:
 * `connected` once every client is open, then `measure` / `report`.
 *
 * Frames are read without parsing them whole: `/seq` and `/t` are the first
 * operations of every patch, and `seq` and `t` the first members of a whole
 * document (the kit's first frame, and its catch-up after a backlog).
 */
import { WebSocket } from 'ws';

const [url, countText, slowText, firstAddressText] = process.argv.slice(2);
const count = Number(countText);
const slowCount = Number(slowText);
/** Clients connect from 127.0.0.<first>, <first>+1, … in turn: each source address has its own ephemeral ports. */
const firstAddress = Number(firstAddressText);
const addresses = 8;

/** Latency histogram: 0.1 ms buckets up to 10 s; the last bucket holds everything slower. */
const bucketMs = 0.1;
const histogram = new Uint32Array(100_001);

interface Client {
  socket: WebSocket;
  slow: boolean;
  last: number;
  received: number;
  lost: number;
}

const clients: Client[] = [];
/** Ticks up to this one are the server's warm-up: not counted. */
let measureAfter = Infinity;

function numberAfter(data: Buffer, marker: string): number {
  const at = data.indexOf(marker);
  if (at < 0) return NaN;
  const start = at + marker.length;
  let end = start;
  while (end < data.length && data[end] !== 0x2c && data[end] !== 0x7d) end++;
  return Number(data.toString('latin1', start, end));
}

function onFrame(client: Client, data: Buffer): void {
  const whole = data.indexOf('"path":"",') >= 0;
  const seq = whole ? numberAfter(data, '"seq":') : numberAfter(data, '"/seq","value":');
  if (Number.isNaN(seq)) return;
  if (seq <= measureAfter) {
    client.last = seq;
    return;
  }
  const t = whole ? numberAfter(data, '"t":') : numberAfter(data, '"/t","value":');
  const latency = performance.timeOrigin + performance.now() - t;
  histogram[Math.min(histogram.length - 1, Math.max(0, Math.round(latency / bucketMs)))]++;
  if (client.last >= 0 && seq > client.last + 1) client.lost += seq - client.last - 1;
  client.last = seq;
  client.received++;
}

async function open(i: number): Promise<void> {
  const socket = new WebSocket(url, { perMessageDeflate: false, localAddress: `127.0.0.${firstAddress + (i % addresses)}` });
  const client: Client = { socket, slow: i < slowCount, last: -1, received: 0, lost: 0 };
  clients.push(client);
  socket.on('message', (data) => onFrame(client, data as Buffer));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  // A slow client stops reading: its socket buffers fill and the server sees a backlog.
  if (client.slow) socket.pause();
}

// Opened in batches: a burst of thousands of handshakes at once overflows the listen backlog.
for (let i = 0; i < count; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, count - i) }, (_, j) => open(i + j)));
}
process.send!({ type: 'connected' });

process.on('message', async (message: { type: string; after?: number; last?: number }) => {
  if (message.type === 'measure') {
    measureAfter = message.after!;
    for (const client of clients) client.received = client.lost = 0;
  } else if (message.type === 'report') {
    // Frames still in flight are late, not lost: wait (a bounded time) for every reading client to see the last tick.
    const deadline = performance.now() + 5000;
    while (clients.some((client) => !client.slow && client.last < message.last!) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const fast = clients.filter((client) => !client.slow);
    process.send!({
      type: 'report',
      histogram: Array.from(histogram),
      received: fast.reduce((sum, client) => sum + client.received, 0),
      receivedBySlow: clients.filter((client) => client.slow).reduce((sum, client) => sum + client.received, 0),
      lost: fast.reduce((sum, client) => sum + client.lost, 0),
      // The last tick each fast client saw: a client behind the last tick sent lost its tail.
      lastSeen: fast.map((client) => client.last),
      open: clients.filter((client) => client.socket.readyState === WebSocket.OPEN).length,
    });
  } else if (message.type === 'exit') {
    for (const client of clients) client.socket.terminate();
    process.exit(0);
  }
});
