/** Deep, wide and long values at every position of a frame, against the Node peer over a real socket. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { WebSocket } from 'ws';
import { applyPatch } from '../../src/core/apply-patch.js';
import { nestsDeeperThan } from '../../src/core/json.js';
import { parseMessage } from '../../src/core/messages.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import type { JugglerServer } from '../../src/node/listen.js';
import { hostileExamples, hostileFrames, initialData, type HostileFrame, initialFrame } from '../support/hostile-frames.js';
import { openPeer } from '../support/fake-transport.js';
import { rawSocket } from '../support/raw-socket.js';
import { startServer } from '../support/test-server.js';

/** Resolves with the close code, or 'open' once the socket answered a PING after the frame. */
function outcome(socket: WebSocket): Promise<number | 'open'> {
  return new Promise((resolve) => {
    socket.once('close', (code) => resolve(code));
    socket.on('message', (data) => {
      if (JSON.parse(data.toString()).type === 'PONG') resolve('open');
    });
  });
}

/** Sends `hostile` after the initial data on a new connection, and checks how it ended and that the data stayed. */
async function sendOnNewConnection(server: JugglerServer, peers: JugglerPeer[], { position, frame, expected }: HostileFrame): Promise<void> {
  const socket = await rawSocket(server.url);
  const ended = outcome(socket);
  socket.send(initialFrame);
  const peer = await new Promise<JugglerPeer>((resolve) => {
    const check = () => (peers.at(-1)?.remoteData !== null ? resolve(peers.at(-1)!) : setImmediate(check));
    check();
  });
  socket.send(frame);
  socket.send('{"type":"PING"}');
  const code = await ended;
  socket.close();
  assert.ok(expected.includes(code), `${position}: ended with ${code}, expected one of ${expected.join(', ')}`);
  assert.deepEqual(peer.remoteData, initialData, `${position}: the data changed`);
}

/** The same frame from a peer with `maxDepth: 20000` must not overflow the depth check. */
const deepPayload = (depth: number) => `{"type":"MESSAGE","payload":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('hostile values anywhere in a frame', () => {
  test('the Node peer survives each, closes with a fitting code, and keeps its data', async () => {
    const { server, peers } = await startServer();
    await fc.assert(
      fc.asyncProperty(hostileFrames, async (frames) => {
        for (const frame of frames) await sendOnNewConnection(server, peers, frame);
      }),
      { numRuns: 15, examples: hostileExamples },
    );
    // Still serving.
    const socket = await rawSocket(server.url);
    const answered = outcome(socket);
    socket.send('{"type":"PING"}');
    assert.equal(await answered, 'open');
    socket.close();
  });

  test('a very large configured maxDepth is held far from the stack limit', () => {
    const { peer } = openPeer({ maxDepth: 1_000_000 });
    const errors: string[] = [];
    peer.addEventListener('error', (e) => errors.push(e.code));
    peer.receive(deepPayload(200_000));
    assert.deepEqual(errors, ['too-deep']);
  });

  test('the depth check and the error text cope with anything JSON.parse returns', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    assert.equal(nestsDeeperThan(deep, 150_000), true);
    assert.equal(nestsDeeperThan(deep, 200_000), false);
    assert.throws(() => parseMessage(JSON.stringify({ type: 'x', payload: 1 }).replace('"x"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)), { code: 'unknown-type' });
    assert.throws(() => applyPatch(null, [{ op: deep, path: '' }]), (error: Error & { code?: string }) => error.code === 'invalid-patch' && error.message.length < 200);
  });
});
