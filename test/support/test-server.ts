import { after } from 'node:test';
import type { JugglerPeer } from '../../src/core/peer.js';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';

const servers: JugglerServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/**
 * A `listen()` server on a free loopback port, closed when the test file ends,
 * with the peer of every connection it accepted, in order.
 */
export async function startServer(options: ListenOptions = {}): Promise<{ server: JugglerServer; peers: JugglerPeer[] }> {
  const peers: JugglerPeer[] = [];
  const server = await listen({ port: 0, ...options, onConnection: (peer) => peers.push(peer) });
  servers.push(server);
  return { server, peers };
}
