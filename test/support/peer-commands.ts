import type { TestRunnerPlugin } from '@web/test-runner';
import type { Socket } from 'node:net';
import type { CallHandler } from '../../src/core/calls.js';
import { JugglerError } from '../../src/core/errors.js';
import { LocalState } from '../../src/core/local-state.js';
import { isPlainObject, type JsonValue } from '../../src/core/json.js';
import type { JugglerPeer } from '../../src/core/peer.js';
import type { Hat07Peer } from '../../src/dialects/hat-0.7/peer.js';
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
  /** The address and subprotocols of each WebSocket handshake, in order. */
  handshakes: { url: string; protocols: string }[];
  backEnd?: BackEnd;
  /** Actions answered on every connection, current and later (see `handle`). */
  actions: Map<string, CallHandler>;
  /** Answers of the `held` behaviour, waiting for `release`. */
  held: Array<() => void>;
  /** The protocol it serves: Juggler's, or `hat-0.7` (`start` with `dialect`). */
  dialect?: 'hat-0.7';
}

/** What a handler registered from the browser does: handlers cannot cross to Node, so they are picked by name. */
const behaviours: Record<string, CallHandler> = {
  sum: (...numbers) => numbers.reduce<number>((total, n) => total + (n as number), 0),
  echo: (...args) => args,
  fail: (...args) => {
    throw new Error(`failed with ${JSON.stringify(args)}`);
  },
  later: (value) => new Promise((resolve) => setTimeout(() => resolve(value), 20)),
};

/**
 * An application back-end in the README's write-path pattern: a page asks by
 * writing `/<requests>/<name>` in its own local data; the back-end applies the
 * request to the shared `/<name>`, or refuses it (strings longer than
 * `maxLength`) and publishes nothing.
 */
interface BackEnd {
  requests: string;
  maxLength: number;
  /** Every request seen, applied or not, in order. */
  seen: JsonValue[];
}

const testPeers = new Map<number, TestPeer>();
let nextId = 1;

async function serve(testPeer: TestPeer): Promise<void> {
  testPeer.server = await listen({
    port: testPeer.port,
    sharedState: testPeer.shared,
    dialect: testPeer.dialect,
    allowedOrigins: '*',
    onConnection: (peer, request) => {
      testPeer.peers.push(peer);
      testPeer.sockets.push(request.socket);
      testPeer.handshakes.push({ url: request.url ?? '', protocols: String(request.headers['sec-websocket-protocol'] ?? '') });
      peer.addEventListener('message', (e) => testPeer.messages.push(e.payload));
      peer.addEventListener('error', (e) => testPeer.errors.push(e.code));
      for (const [name, handler] of testPeer.actions) peer.handle(name, handler);
      peer.addEventListener('change', ({ data, paths }) => {
        if (testPeer.backEnd) answerRequests(testPeer, testPeer.backEnd, data, paths);
      });
    },
  });
  testPeer.port = testPeer.server.port;
}

/** What the back-end does with a page's change: every request touched by it is applied or refused. */
function answerRequests(testPeer: TestPeer, backEnd: BackEnd, data: JsonValue, paths: readonly string[]): void {
  const requests = isPlainObject(data) ? data[backEnd.requests] : undefined;
  if (!isPlainObject(requests)) return;
  const prefix = `/${backEnd.requests}`;
  for (const [name, value] of Object.entries(requests)) {
    const at = `${prefix}/${name}`;
    if (!paths.some((path) => path === '' || path === prefix || path === at || path.startsWith(`${at}/`))) continue;
    backEnd.seen.push(value);
    if (typeof value === 'string' && value.length > backEnd.maxLength) continue;
    testPeer.shared.setAt(`/${name}`, value);
  }
}

/**
 * `json` is a value as JSON text, for values with a `__proto__` key: the test
 * runner copies command payloads by assigning members, which would make such a
 * key the copy's prototype instead of a member.
 */
type Command = {
  action: string;
  id?: number;
  path?: string;
  value?: JsonValue;
  json?: string;
  payload?: JsonValue;
  frame?: string;
  requests?: string;
  maxLength?: number;
  name?: string;
  args?: JsonValue[];
  behaviour?: string;
  count?: number;
  interval?: number;
  dialect?: 'hat-0.7';
};

async function run(command: Command): Promise<unknown> {
  if (command.action === 'start') {
    const testPeer: TestPeer = { server: undefined, port: 0, shared: new LocalState({ delay: 0 }), peers: [], sockets: [], messages: [], errors: [], handshakes: [], actions: new Map(), held: [], dialect: command.dialect };
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
    case 'burst': {
      // `count` DATA frames, each setting `path` to the next number: all at once, or one every `interval` ms.
      const count = command.count ?? 0;
      const interval = command.interval ?? 0;
      for (let i = 0; i < count; i++) {
        if (interval > 0 && i > 0) await new Promise((resolve) => setTimeout(resolve, interval));
        testPeer.shared.setAt(command.path ?? '', i);
      }
      return null;
    }
    case 'send':
      for (const peer of open()) peer.send(command.payload ?? null);
      return null;
    case 'notify':
      // A server of the hat-0.7 dialect sends its clients a notify.
      for (const peer of open()) (peer as Hat07Peer).notify(command.name ?? '', command.value ?? null);
      return null;
    case 'raw':
      for (const peer of open()) peer.sendFrame(command.frame ?? '');
      return null;
    case 'stall': {
      // Stops reading the open connections (their TCP sockets paused) and sends each `count` calls of `echo`
      // with a 64 KiB argument: a server that stops reading while the page keeps answering.
      for (const socket of testPeer.sockets) socket.pause();
      const arg = 'x'.repeat(64 * 1024);
      for (const peer of open()) {
        for (let id = 1; id <= (command.count ?? 0); id++) {
          peer.sendFrame(JSON.stringify({ type: 'MESSAGE', payload: { type: 'rpc', id, direction: 'request', action: 'echo', args: [arg] } }));
        }
      }
      return null;
    }
    case 'messages':
      return testPeer.messages;
    case 'errors':
      return testPeer.errors;
    case 'handshakes':
      return testPeer.handshakes;
    case 'back-end':
      testPeer.backEnd = { requests: command.requests ?? 'request', maxLength: command.maxLength ?? Infinity, seen: [] };
      return null;
    case 'handle': {
      // Answers `name` on every connection, with one of the behaviours above, or `held`: the first argument once `release` comes.
      const held: CallHandler = (value) => new Promise((resolve) => testPeer.held.push(() => resolve(value)));
      const handler = command.behaviour === 'held' ? held : behaviours[command.behaviour ?? ''];
      if (!handler) throw new Error(`no handler behaviour ${command.behaviour}`);
      testPeer.actions.set(command.name ?? '', handler);
      for (const peer of open()) peer.handle(command.name ?? '', handler);
      return null;
    }
    case 'call': {
      // Calls the page on the newest connection: the result, or the error's code and message.
      const peer = open().at(-1);
      if (!peer) throw new Error('no open connection to call');
      try {
        return { result: await peer.call(command.name ?? '', command.args ?? []) };
      } catch (error) {
        if (!(error instanceof JugglerError)) throw error;
        return { error: { code: error.code, message: error.message } };
      }
    }
    case 'held':
      return testPeer.held.length;
    case 'release':
      // Answers every call the `held` behaviour holds; says how many there were.
      return testPeer.held.splice(0).map((answer) => answer()).length;
    case 'requests':
      return testPeer.backEnd?.seen ?? [];
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

interface CdpSession {
  send(method: string, params: object): Promise<unknown>;
}

export function peerCommands(): TestRunnerPlugin {
  return {
    name: 'juggler-test-peer',
    async executeCommand({ command, payload, session }) {
      if (command === 'forced-colors') {
        // Puppeteer's emulateMediaFeatures does not know forced-colors; DevTools does.
        const page = (session.browser as unknown as { getPage(id: string): { createCDPSession(): Promise<CdpSession> } }).getPage(session.id);
        const cdp = await page.createCDPSession();
        await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: String(payload) }] });
        return true;
      }
      if (command !== 'peer') return undefined;
      // Wrapped: the runner takes a bare null or undefined for "not my command".
      return { value: (await run(payload as Command)) ?? null };
    },
    async serverStop() {
      await Promise.all([...testPeers.values()].map((testPeer) => testPeer.server?.close()));
    },
  };
}
