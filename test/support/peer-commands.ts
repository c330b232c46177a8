import type { TestRunnerPlugin } from '@web/test-runner';
import type { Socket } from 'node:net';
import { LocalState } from '../../src/core/local-state.js';
import type { JsonValue } from '../../src/core/json.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import { listen, type JugglerServer } from '../../src/node/listen.js';

/**
 * A real Node peer per test, driven from the browser through
 * `executeServerCommand('peer', { action, ... })`. Each peer broadcasts one
 * shared state, records what its connections sent, and can be dropped, stopped
 * and restarted on the same port to play a server that goes away.
 */
interface TestPeer {
  server: JugglerServer | undefined;
  port: number;
  shared: LocalState;
  peers: JugglerPeer[];
  sockets: Socket[];
  messages: JsonValue[];
  errors: string[];
}

const testPeers = new Map<number, TestPeer>();
let nextId = 1;

async function serve(testPeer: TestPeer): Promise<void> {
  testPeer.server = await listen({
    port: testPeer.port,
    sharedState: testPeer.shared,
    allowedOrigins: '*',
    onConnection: (peer, request) => {
      testPeer.peers.push(peer);
      testPeer.sockets.push(request.socket);
      peer.addEventListener('message', (e) => testPeer.messages.push(e.payload));
      peer.addEventListener('error', (e) => testPeer.errors.push(e.code));
    },
  });
  testPeer.port = testPeer.server.port;
}

/**
 * `json` is a value as JSON text, for values with a `__proto__` key: the test
 * runner copies command payloads by assigning members, which would make such a
 * key the copy's prototype instead of a member.
 */
type Command = { action: string; id?: number; path?: string; value?: JsonValue; json?: string; payload?: JsonValue; frame?: string };

async function run(command: Command): Promise<unknown> {
  if (command.action === 'start') {
    const testPeer: TestPeer = { server: undefined, port: 0, shared: new LocalState({ delay: 0 }), peers: [], sockets: [], messages: [], errors: [] };
    await serve(testPeer);
    const id = nextId++;
    testPeers.set(id, testPeer);
    return { id, url: testPeer.server!.url };
  }
  const testPeer = testPeers.get(command.id ?? -1);
  if (!testPeer) throw new Error(`no test peer ${command.id}`);
  const open = () => testPeer.peers.filter((peer) => peer.isOpen);
  switch (command.action) {
    case 'remote':
      return open().at(-1)?.remoteData ?? null;
    case 'connections':
      return open().length;
    case 'set':
      testPeer.shared.setAt(command.path ?? '', command.json !== undefined ? (JSON.parse(command.json) as JsonValue) : (command.value ?? null));
      return null;
    case 'send':
      for (const peer of open()) peer.send(command.payload ?? null);
      return null;
    case 'raw':
      for (const peer of open()) peer.sendFrame(command.frame ?? '');
      return null;
    case 'messages':
      return testPeer.messages;
    case 'errors':
      return testPeer.errors;
    case 'drop':
      // Cut the TCP connections without a closing handshake, as a crashed network would.
      for (const socket of testPeer.sockets.splice(0)) socket.destroy();
      return null;
    case 'stop':
      await testPeer.server?.close();
      testPeer.server = undefined;
      return null;
    case 'restart':
      if (!testPeer.server) await serve(testPeer);
      return null;
    default:
      throw new Error(`unknown test peer action ${command.action}`);
  }
}

export function peerCommands(): TestRunnerPlugin {
  return {
    name: 'juggler-test-peer',
    async executeCommand({ command, payload }) {
      if (command !== 'peer') return undefined;
      // Wrapped: the runner takes a bare null or undefined for "not my command".
      return { value: (await run(payload as Command)) ?? null };
    },
    async serverStop() {
      await Promise.all([...testPeers.values()].map((testPeer) => testPeer.server?.close()));
    },
  };
}
