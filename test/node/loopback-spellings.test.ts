/** A server bound to loopback checks the Host name (DNS rebinding) however its `host` was spelled. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { after, describe, test } from 'node:test';
import { listen, type JugglerServer } from '../../src/node/listen.js';

const servers: JugglerServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

/** The HTTP status a request to `server` gets under Host `name`: 101 for an upgrade answered. */
function status(server: JugglerServer, name: string, upgrade: boolean): Promise<number> {
  const headers: Record<string, string> = { host: `${name}:${server.port}` };
  if (upgrade) {
    Object.assign(headers, {
      origin: `http://${name}:${server.port}`,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
  }
  const address = new URL(server.httpUrl).hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    request({ host: address, port: server.port, path: upgrade ? '/ws' : '/', headers })
      .on('upgrade', (response, socket) => {
        socket.destroy();
        resolve(response.statusCode ?? 0);
      })
      .on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject)
      .end();
  });
}

const machine = hostname();
const machineIsLoopback = await lookup(machine).then(
  ({ address }) => /^127\./.test(address) || address === '::1',
  () => false,
);

describe('a server listening on loopback under another spelling', () => {
  for (const host of ['127.1', '2130706433', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', machine]) {
    const skip = host === machine && !machineIsLoopback ? `${machine} does not resolve to loopback here` : false;
    test(`refuses a foreign Host when bound with host: '${host}'`, { skip }, async () => {
      const server = await listen({ port: 0, host, extraFiles: { '/index.html': new URL(import.meta.url).pathname } });
      servers.push(server);
      assert.equal(await status(server, 'rebind.example', true), 403, 'a WebSocket from a page on a rebound name');
      assert.equal(await status(server, 'rebind.example', false), 403, 'a file for a page on a rebound name');
      assert.equal(await status(server, 'localhost', true), 101, 'a WebSocket from a page on localhost');
    });
  }
});

describe('a server listening on every interface', () => {
  test('answers any Host name', async () => {
    const server = await listen({ port: 0, host: '0.0.0.0' });
    servers.push(server);
    assert.equal(await status(server, 'plant.example', true), 101);
  });
});
