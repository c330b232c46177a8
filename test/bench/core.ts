/**
 * `npm run bench`, first part: the protocol core and the Node peer, each row
 * against a baseline that does the same work (see the README's Performance
 * section for what each compares and why the goal is what it is).
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
import { compare, compareAsync, printRows, times, us, type Row } from './measure.js';

type Operation = jsonPatch.Operation;
const rows: Row[] = [];

function wideState(keys: number): JsonObject {
  const state: JsonObject = {};
  for (let i = 0; i < keys; i++) state[`key${i}`] = { value: i, label: `item ${i}` };
  return state;
}

/** A plant dashboard: 45 sensors with a value and a status, a header, and a 60-sample sliding window. */
function dashboardState(): JsonObject {
  const sensors: JsonObject = {};
  for (let i = 0; i < 45; i++) sensors[`s${i}`] = { name: `sensor ${i}`, value: i, status: 'ok', unit: 'kW' };
  return { meta: { title: 'Plant', updated: 't0', seq: 0 }, sensors, window: Array.from({ length: 60 }, (_, i) => i / 10) };
}

/** One tick of the dashboard: 45 numbers and 6 strings replaced, 3 samples appended, 3 dropped from the front. */
function dashboardPatch(tick: number): Operation[] {
  const patch: Operation[] = [];
  for (let i = 0; i < 45; i++) patch.push({ op: 'replace', path: `/sensors/s${i}/value`, value: (tick * 7 + i) % 1000 });
  for (let i = 0; i < 5; i++) patch.push({ op: 'replace', path: `/sensors/s${i * 9}/status`, value: (tick + i) % 3 ? 'ok' : 'warn' });
  patch.push({ op: 'replace', path: '/meta/updated', value: `t${tick}` });
  for (let i = 0; i < 3; i++) patch.push({ op: 'add', path: '/window/-', value: tick + i / 10 });
  for (let i = 0; i < 3; i++) patch.push({ op: 'remove', path: '/window/0' });
  return patch;
}

// 1. Applying patches in place, against fast-json-patch applying them in place too (mutateDocument: true).
{
  const onePatch = (i: number): Operation[] => [{ op: 'replace', path: '/key500/value', value: i }];
  const ticks = Array.from({ length: 1000 }, (_, tick) => dashboardPatch(tick));
  const cases = [
    { name: 'apply a one-op patch, 1,000-key document', doc: () => wideState(1000), patch: onePatch },
    { name: `apply a ${ticks[0].length}-op dashboard patch`, doc: dashboardState, patch: (i: number) => ticks[i % ticks.length] },
  ];
  for (const { name, doc, patch } of cases) {
    for (const validate of [true, false]) {
      const ours = doc();
      const theirs = doc();
      const result = compare(
        (i) => void applyPatch(ours, patch(i)),
        (i) => void jsonPatch.applyPatch(theirs, patch(i), validate, true),
      );
      // The goal is set against the validating baseline: ours validates every operation, is atomic and reports paths.
      const goal = validate ? 1 : 1.5;
      rows.push({
        benchmark: name,
        ours: us(result.ours),
        baseline: `${us(result.baseline)} fast-json-patch, in place, ${validate ? 'validated' : 'unvalidated'}`,
        ratio: times(result.ratio),
        goal: `≤ ${goal}×`,
        met: result.ratio <= goal,
      });
    }
  }

  // The same one-op patch on a document ten times larger: a copy of the document (or of any wide object) per patch fails this.
  const small = wideState(1000);
  const large = wideState(10_000);
  const result = compare(
    (i) => void applyPatch(large, [{ op: 'replace', path: '/key5000/value', value: i }]),
    (i) => void applyPatch(small, [{ op: 'replace', path: '/key500/value', value: i }]),
  );
  rows.push({
    benchmark: 'apply a one-op patch, 10,000-key document',
    ours: us(result.ours),
    baseline: `${us(result.baseline)} ours, 1,000-key document`,
    ratio: times(result.ratio),
    goal: '≤ 1.5× (flat in document size)',
    met: result.ratio <= 1.5,
  });
}

// 2. One field of a 10,000-key state: write, flush, serialise, parse, apply at the receiver.
{
  const state = new LocalState({ delay: 'manual', data: wideState(10_000) });
  const receiver = new JugglerPeer();
  receiver.connected({ send() {}, close() {} });
  state.follow({ sendFrame: (frame) => receiver.receive(frame) });
  const ours = (i: number) => {
    state.setAt('/key5000/value', i);
    state.flush();
  };
  const check = () => {
    if ((receiver.remoteData as Record<string, { value: number }>).key5000.value !== (state.data as Record<string, { value: number }>).key5000.value) {
      throw new Error('the receiver did not follow the write');
    }
  };

  // What the same change costs when the sender already knows it: one hand-built operation.
  const remote = wideState(10_000);
  const byHand = (i: number) => {
    const frame = JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path: '/key5000/value', value: i }] });
    jsonPatch.applyPatch(remote, JSON.parse(frame).payload, true, true);
  };
  const result = compare(ours, byHand);
  check();
  rows.push({
    benchmark: 'one-field write → applied, 10,000-key state',
    ours: us(result.ours),
    baseline: `${us(result.baseline)} hand-built op, stringify, parse, fast-json-patch`,
    ratio: times(result.ratio),
    goal: '≤ 1.3×',
    met: result.ratio <= 1.3,
  });

  // What it costs when the sender has to find the change: snapshot and compare, as fast-json-patch's observe does.
  const local = wideState(10_000) as Record<string, { value: number }>;
  let snapshot = jsonPatch.deepClone(local);
  const compared = wideState(10_000);
  const bySnapshot = (i: number) => {
    local.key5000.value = i;
    const patch = jsonPatch.compare(snapshot, local);
    snapshot = jsonPatch.deepClone(local);
    const frame = JSON.stringify({ type: 'DATA', payload: patch });
    jsonPatch.applyPatch(compared, JSON.parse(frame).payload, true, true);
  };
  const slow = compare(ours, bySnapshot, { blocks: 7 });
  check();
  rows.push({
    benchmark: 'one-field write → applied, 10,000-key state',
    ours: us(slow.ours),
    baseline: `${us(slow.baseline)} snapshot + compare, stringify, parse, fast-json-patch`,
    ratio: times(slow.ratio),
    goal: '≤ 1/20× (cost of the change, not the state)',
    met: slow.ratio <= 1 / 20,
  });
}

// 3. Sliding a 10,000-item window by one: operations and bytes on the wire.
{
  const before = Array.from({ length: 10_000 }, (_, i) => Math.round(Math.sin(i / 10) * 1000) / 1000);
  const after = [...before.slice(1), 0.5];
  const ours = diff({ window: before }, { window: after });
  const theirs = jsonPatch.compare({ window: before }, { window: after });
  const oursBytes = JSON.stringify(ours).length;
  const theirsBytes = JSON.stringify(theirs).length;
  rows.push({
    benchmark: 'slide a 10,000-item window by one, whole-document diff',
    ours: `${ours.length} ops, ${oursBytes} B`,
    baseline: `${theirs.length} ops, ${theirsBytes} B fast-json-patch compare`,
    ratio: times(oursBytes / theirsBytes),
    goal: '≤ 2 ops',
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
    benchmark: 'slide a 10,000-item window by one, path writes',
    ours: `${pathOps} ops, ${frame.length} B frame`,
    baseline: `${theirs.length} ops fast-json-patch compare`,
    ratio: times(pathOps / theirs.length),
    goal: '≤ 2 ops',
    met: pathOps <= 2,
  });
}

// 4. Write-to-applied round trip over a real loopback socket: our client and server against a raw ws client and
//    server that parse and apply the same frames (and, for scale, a bare echo that does neither).
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
  const ours = (i: number) =>
    new Promise<void>((done) => {
      waiting = { value: i, done };
      client.setAt('/value', i);
    });

  const dataFrame = (path: string, value: JsonValue) => JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path, value }] });
  const echoServer = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  echoServer.on('connection', (socket) => {
    const remote: JsonObject = { value: null };
    socket.on('message', (data) => {
      const text = data.toString();
      if (text[0] !== '{') return void socket.send(text); // the bare echo
      jsonPatch.applyPatch(remote, JSON.parse(text).payload, true, true);
      socket.send(dataFrame('/echo', remote.value));
    });
  });
  await new Promise((resolve) => echoServer.once('listening', resolve));
  const raw = new WebSocket(`ws://127.0.0.1:${(echoServer.address() as { port: number }).port}`);
  await new Promise((resolve) => raw.once('open', resolve));
  const rawRemote: JsonObject = { echo: null };
  let rawWaiting: { value: number; done: () => void } | undefined;
  raw.on('message', (data) => {
    const text = data.toString();
    if (text[0] === '{') jsonPatch.applyPatch(rawRemote, JSON.parse(text).payload, true, true);
    if (rawWaiting && (text[0] !== '{' || rawRemote.echo === rawWaiting.value)) rawWaiting.done();
  });
  const parseAndApply = (i: number) =>
    new Promise<void>((done) => {
      rawWaiting = { value: i, done };
      raw.send(dataFrame('/value', i));
    });
  const bare = (i: number) =>
    new Promise<void>((done) => {
      rawWaiting = { value: i, done };
      raw.send(`[${i}]`);
    });

  const result = await compareAsync(ours, parseAndApply, { calls: 300 });
  const echo = await compareAsync(bare, parseAndApply, { calls: 300, blocks: 3 });
  client.close();
  raw.close();
  await server.close();
  await new Promise((resolve) => echoServer.close(resolve));
  rows.push({
    benchmark: 'write → applied round trip over loopback',
    ours: us(result.ours),
    baseline: `${us(result.baseline)} ws echo, parse + apply both ends (bare echo ${us(echo.ours)})`,
    ratio: times(result.ratio),
    goal: '≤ 1.3×',
    met: result.ratio <= 1.3,
  });
}

export const coreMet = printRows('Protocol core and Node peer', rows);
