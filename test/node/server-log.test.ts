/** A server given a logger reports refusals, connections and their errors, one line each, without what peers send. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import type { LogDetails, LogLevel } from '../../src/node/server-log.js';
import { socketOrStatus } from '../support/raw-socket.js';
import { until } from '../support/wait.js';

const servers: JugglerServer[] = [];
const sockets: WebSocket[] = [];
after(async () => {
  for (const socket of sockets) socket.terminate();
  await Promise.all(servers.map((server) => server.close()));
});

interface Entry {
  level: LogLevel;
  message: string;
  details: LogDetails;
}

/** A server whose log is kept in `entries`, through a function logger or a `{ info, warn, error }` one. */
async function start(options: ListenOptions = {}, shape: 'function' | 'object' = 'function'): Promise<{ server: JugglerServer; entries: Entry[] }> {
  const entries: Entry[] = [];
  const record = (level: LogLevel) => (message: string, details: LogDetails) => void entries.push({ level, message, details });
  const logger = shape === 'function' ? (level: LogLevel, message: string, details: LogDetails) => record(level)(message, details) : { info: record('info'), warn: record('warn'), error: record('error') };
  const server = await listen({ port: 0, ...options, logger });
  servers.push(server);
  return { server, entries };
}

/** Opens a WebSocket with `headers` (closed when the test ends); resolves with the socket, or the HTTP status it was refused with. */
async function attempt(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  const outcome = await socketOrStatus(url, headers);
  if (typeof outcome !== 'number') sockets.push(outcome);
  return outcome;
}

async function opened(url: string): Promise<WebSocket> {
  const outcome = await attempt(url);
  assert.ok(outcome instanceof WebSocket, `refused with HTTP ${String(outcome)}`);
  return outcome;
}

/** The entry of `event` the log gets (waiting for it), failing when there is none. */
async function logged(entries: Entry[], event: LogDetails['event'], what = event): Promise<Entry> {
  await until(() => entries.some((entry) => entry.details.event === event), `a "${what}" log entry`);
  return entries.find((entry) => entry.details.event === event)!;
}

const remote = /^127\.0\.0\.1:\d+$/;

/** Each entry is one line that starts with the remote address. */
function assertOneLineEach(entries: Entry[]): void {
  for (const { message, details } of entries) {
    assert.match(details.remote, remote);
    assert.ok(message.startsWith(`${details.remote} `), message);
    assert.doesNotMatch(message, /[\r\n]/);
  }
}

describe('server log', () => {
  test('is off by default: a server without a logger writes nothing to the console', async () => {
    const written: unknown[] = [];
    const saved = { info: console.info, warn: console.warn, error: console.error, log: console.log };
    Object.assign(console, { info: written.push.bind(written), warn: written.push.bind(written), error: written.push.bind(written), log: written.push.bind(written) });
    try {
      const server = await listen({ port: 0 });
      servers.push(server);
      assert.equal(await attempt(server.url, { Origin: 'https://evil.example' }), 403);
      const socket = await opened(server.url);
      socket.close();
      await until(() => server.peers.size === 0, 'the close');
    } finally {
      Object.assign(console, saved);
    }
    assert.deepEqual(written, []);
  });

  test('a refused Origin (403), with the origin', async () => {
    const { server, entries } = await start();
    assert.equal(await attempt(server.url, { Origin: 'https://evil.example' }), 403);
    const entry = await logged(entries, 'refused');
    assert.equal(entry.level, 'warn');
    assert.equal(entry.details.status, 403);
    assert.match(entry.message, /refused with 403: origin "https:\/\/evil\.example" is not allowed/);
    assertOneLineEach(entries);
  });

  test('a refused Host on plain HTTP (403), with the host', async () => {
    const { server, entries } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'rebind.evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 403);
    const entry = await logged(entries, 'refused');
    assert.equal(entry.details.status, 403);
    assert.match(entry.message, /refused with 403: Host "rebind\.evil\.example" is not answered here/);
    assertOneLineEach(entries);
  });

  test('a refused path (404), without its query string', async () => {
    const { server, entries } = await start();
    assert.equal(await attempt(`${server.url.replace(/\/ws$/, '/other')}?token=s3cret-token`), 404);
    const entry = await logged(entries, 'refused');
    assert.equal(entry.details.status, 404);
    assert.match(entry.message, /refused with 404: no WebSocket endpoint at "\/other"/);
    assert.doesNotMatch(JSON.stringify(entries), /s3cret-token|token=/);
    assertOneLineEach(entries);
  });

  test('connections refused by the limits (503 in all, 429 per address)', async () => {
    const total = await start({ maxConnections: { total: 1 } });
    await opened(total.server.url);
    assert.equal(await attempt(total.server.url), 503);
    const full = await logged(total.entries, 'refused');
    assert.equal(full.details.status, 503);
    assert.match(full.message, /refused with 503: too many connections/);

    const perAddress = await start({ maxConnections: { total: 10, perAddress: 1 } }, 'object');
    await opened(perAddress.server.url);
    assert.equal(await attempt(perAddress.server.url), 429);
    const crowded = await logged(perAddress.entries, 'refused');
    assert.equal(crowded.level, 'warn');
    assert.equal(crowded.details.status, 429);
    assert.match(crowded.message, /refused with 429: too many connections from this address/);
    assertOneLineEach([...total.entries, ...perAddress.entries]);
  });

  test('a connection opened and closed, with the close code and reason, through an { info, warn, error } logger', async () => {
    const { server, entries } = await start({}, 'object');
    const socket = await opened(server.url);
    const open = await logged(entries, 'open');
    assert.equal(open.level, 'info');
    assert.match(open.message, /connected$/);
    socket.close(4001, 'going home');
    const close = await logged(entries, 'close');
    assert.equal(close.level, 'info');
    assert.equal(close.details.code, 4001);
    assert.equal(close.details.reason, 'going home');
    assert.match(close.message, /closed 4001 "going home"$/);
    assert.equal(close.details.remote, open.details.remote, 'the same remote address and port');
    assertOneLineEach(entries);
  });

  test('a connection error with its code and message, and never what the frames held', async () => {
    const { server, entries } = await start();
    const socket = await opened(server.url);
    socket.send(JSON.stringify({ type: 'MESSAGE', payload: { token: 's3cret-message' } }));
    socket.send('s3cret-frame');
    const error = await logged(entries, 'error');
    assert.equal(error.level, 'error');
    assert.equal(error.details.code, 'invalid-json');
    assert.match(error.message, /error invalid-json: "message is not valid JSON: /);
    const close = await logged(entries, 'close');
    assert.equal(close.details.code, 1007);
    assert.doesNotMatch(JSON.stringify(entries), /s3cret/);
    assertOneLineEach(entries);
  });
});
