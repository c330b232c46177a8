/**
 * `npm run bench`: the protocol core and the Node peer against baselines
 * measured in the same process, printed as ratios. Nothing here asserts a time;
 * the "met" column compares each ratio with the goal set for it.
 */
import jsonPatch from 'fast-json-patch';
import { WebSocketServer, WebSocket } from 'ws';
import { applyPatch } from '../../src/core/apply-patch.js';
import { diff } from '../../src/core/diff.js';
import type { JsonObject, JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import { JugglerPeer } from '../../src/core/peer.js';
import { connect } from '../../src/node/connect.js';
import { listen } from '../../src/node/listen.js';
import { median, printRows, timeAsync, timePerCall, us, type Row } from './measure.js';

const rows: Row[] = [];

function wideState(keys: number): JsonObject {
  const state: JsonObject = {};
  for (let i = 0; i < keys; i++) state[`key${i}`] = { value: i, label: `item ${i}` };
  return state;
}

/** A receiving peer on a transport that goes nowhere. */
function receiver(): JugglerPeer {
  const peer = new JugglerPeer();
  peer.connected({ send() {}, close() {} });
  return peer;
}

// 1. One field of a 10,000-key state: write, flush, serialise, parse, apply.
{
  const state = new LocalState({ delay: 'manual', data: wideState(10_000) });
  const remote = receiver();
  state.follow({ sendFrame: (frame) => remote.receive(frame) });
  const ours = timePerCall((i) => {
    state.setAt('/key5000/value', i);
    state.flush();
  }, 2000);

  const local = wideState(10_000) as Record<string, { value: number }>;
  let snapshot = jsonPatch.deepClone(local);
  const baselineRemote = jsonPatch.deepClone(local);
  const baseline = timePerCall((i) => {
    local.key5000.value = i;
    const patch = jsonPatch.compare(snapshot, local);
    snapshot = jsonPatch.deepClone(local);
    const parsed = JSON.parse(JSON.stringify({ type: 'DATA', payload: patch }));
    jsonPatch.applyPatch(baselineRemote, parsed.payload, false, true);
  }, 20);
  rows.push({
    benchmark: 'one-field change, 10,000-key state (write→apply)',
    ours: us(ours),
    baseline: `${us(baseline)} (snapshot + compare)`,
    ratio: `${(baseline / ours).toFixed(0)}× faster`,
    target: '≥ 20× faster',
    met: baseline / ours >= 20,
  });
}

// 2. Sliding a 10,000-item window by one: operations and bytes.
{
  const before = Array.from({ length: 10_000 }, (_, i) => Math.round(Math.sin(i / 10) * 1000) / 1000);
  const after = [...before.slice(1), 0.5];
  const ours = diff({ window: before }, { window: after });
  const theirs = jsonPatch.compare({ window: before }, { window: after });
  const oursBytes = JSON.stringify(ours).length;
  const theirsBytes = JSON.stringify(theirs).length;
  rows.push({
    benchmark: 'slide a 10,000-item window by one (whole-document diff)',
    ours: `${ours.length} ops, ${oursBytes} B`,
    baseline: `${theirs.length} ops, ${theirsBytes} B (compare)`,
    ratio: `${(theirsBytes / oursBytes).toFixed(0)}× fewer bytes`,
    target: '≤ 2 ops',
    met: ours.length <= 2,
  });

  const state = new LocalState({ delay: 'manual', data: { window: before } });
  let frame = '';
  state.follow({ sendFrame: (f) => (frame = f) });
  state.removeAt('/window/0');
  state.setAt('/window/-', 0.5);
  state.flush();
  const pathOps = (JSON.parse(frame).payload as unknown[]).length;
  rows.push({
    benchmark: 'slide a 10,000-item window by one (path writes)',
    ours: `${pathOps} ops, ${frame.length} B frame`,
    baseline: `${theirs.length} ops (compare)`,
    ratio: `${(theirs.length / pathOps).toFixed(0)}× fewer ops`,
    target: '≤ 2 ops',
    met: pathOps <= 2,
  });
}

// 3. Applying a one-field patch to a 10,000-key document.
{
  const ours = wideState(10_000) as JsonValue;
  const theirs = wideState(10_000);
  const patch = (i: number) => [{ op: 'replace' as const, path: '/key5000/value', value: i }];
  const oursTime = timePerCall((i) => void applyPatch(ours, patch(i)), 5000);
  const theirsTime = timePerCall((i) => void jsonPatch.applyPatch(theirs, patch(i), false, false), 20);
  rows.push({
    benchmark: 'apply a one-field patch, 10,000-key document',
    ours: us(oursTime),
    baseline: `${us(theirsTime)} (applyPatch, mutateDocument: false)`,
    ratio: `${(theirsTime / oursTime).toFixed(0)}× faster`,
    target: 'cost of the patch, not the document',
    met: theirsTime / oursTime >= 20,
  });
}

// 4. Write-to-applied latency over a real loopback socket, against a raw ws echo of the same bytes.
//    Both connections stay open and take turns in blocks, so drift in the machine's load hits both alike.
{
  const server = await listen({ port: 0, delay: 0 });
  server.addEventListener('connection', (event) => {
    const peer = (event as unknown as { peer: JugglerPeer }).peer;
    // Echo the client's value back through the server's own local data.
    peer.addEventListener('change', (e) => peer.setAt('/echo', (e.data as JsonObject).value));
  });
  const client = connect(server.url, { delay: 0 });
  await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }));
  let waiting: { value: number; done: () => void } | undefined;
  client.addEventListener('change', (e) => {
    if (waiting && (e.data as JsonObject).echo === waiting.value) waiting.done();
  });
  const oursRoundTrip = (i: number) =>
    new Promise<void>((done) => {
      waiting = { value: i, done };
      client.setAt('/value', i);
    });

  const echo = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  echo.on('connection', (socket) => socket.on('message', (data) => socket.send(data.toString())));
  await new Promise((resolve) => echo.once('listening', resolve));
  const raw = new WebSocket(`ws://127.0.0.1:${(echo.address() as { port: number }).port}`);
  await new Promise((resolve) => raw.once('open', resolve));
  let rawDone: (() => void) | undefined;
  raw.on('message', () => rawDone?.());
  const rawRoundTrip = (i: number) =>
    new Promise<void>((done) => {
      rawDone = done;
      raw.send(`{"type":"DATA","payload":[{"op":"replace","path":"/value","value":${i}}]}`);
    });

  const oursBlocks: number[] = [];
  const rawBlocks: number[] = [];
  for (let block = 0; block < 8; block++) {
    oursBlocks.push(await timeAsync((i) => oursRoundTrip(block * 1000 + i), 500, 100));
    rawBlocks.push(await timeAsync((i) => rawRoundTrip(block * 1000 + i), 500, 100));
  }
  const ours = median(oursBlocks);
  const baseline = median(rawBlocks);
  client.close();
  raw.close();
  await server.close();
  await new Promise((resolve) => echo.close(resolve));
  rows.push({
    benchmark: 'write→applied round trip over loopback (median)',
    ours: us(ours),
    baseline: `${us(baseline)} (raw ws echo)`,
    ratio: `${(ours / baseline).toFixed(2)}× the echo`,
    target: '≤ 1.5× the echo',
    met: ours / baseline <= 1.5,
  });
}

printRows(rows);
