// What an open connection keeps alive on a server: a server holds thousands, so
// nothing it no longer needs may stay reachable from one.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import type { JsonValue } from '../../src/core/json.js';
import { LocalState } from '../../src/core/local-state.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { listen, type JugglerServer } from '../../src/node/listen.js';
import { until } from '../support/wait.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const servers: JugglerServer[] = [];
const sockets: WebSocket[] = [];
after(async () => {
  for (const socket of sockets) socket.terminate();
  await Promise.all(servers.map((server) => server.close()));
});

/**
 * Collects garbage until `ref` is gone, for a few turns (finalisation may take
 * more than one). Each turn collects before it looks: `deref()` keeps its
 * target alive until the end of the turn.
 */
async function collected(ref: WeakRef<object>, rounds = 20): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

test('an open connection does not keep its upgrade request (headers, parser state) alive', async () => {
  let request: WeakRef<IncomingMessage> | undefined;
  const peers: JugglerPeer[] = [];
  const server = await listen({
    port: 0,
    sharedState: new LocalState<JsonValue>({ data: { n: 1 } }),
    onConnection: (peer, upgrade) => {
      peers.push(peer);
      request = new WeakRef(upgrade);
    },
  });
  servers.push(server);
  const socket = new WebSocket(server.url, { headers: { 'x-padding': 'x'.repeat(4000) } });
  sockets.push(socket);
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(String(data)));
  await until(() => frames.length > 0, 'the first DATA');

  assert.ok(await collected(request!), 'the request is collected while the connection stays open');
  assert.equal(server.connectionCount, 1);
  // The connection still works after the collection: a message reaches the peer, DATA reaches the client.
  const heard = new Promise((resolve) => peers[0].addEventListener('message', resolve, { once: true }));
  socket.send('{"type":"MESSAGE","payload":"still here"}');
  await heard;
});
