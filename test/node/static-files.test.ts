/** The static file server answers only under its own names, and only with what really lies in its folder. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';
import { rawSocket } from '../support/raw-socket.js';

const servers: JugglerServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

let folder: string;
let outside: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'juggler-files-'));
  outside = await mkdtemp(join(tmpdir(), 'juggler-outside-'));
  await writeFile(join(folder, 'index.html'), '<h1>hello</h1>');
  await writeFile(join(folder, '.env'), 'SECRET=1');
  await mkdir(join(folder, '.git'));
  await writeFile(join(folder, '.git', 'config'), '[core]');
  await mkdir(join(folder, 'sub', '.hidden'), { recursive: true });
  await writeFile(join(folder, 'sub', '.hidden', 'file.txt'), 'hidden');
  await writeFile(join(folder, 'sub', '.npmrc'), 'token');
  await mkdir(join(folder, '.well-known'));
  await writeFile(join(folder, '.well-known', 'security.txt'), 'Contact: x');
  await writeFile(join(outside, 'passwd'), 'root:x:0:0');
  await symlink(outside, join(folder, 'linkdir'));
  await symlink(join(outside, 'passwd'), join(folder, 'passwd-link'));
  await symlink(join(folder, '.env'), join(folder, 'env-link.txt'));
  await symlink(join(folder, 'index.html'), join(folder, 'alias.html'));
});

async function start(options: ListenOptions = {}): Promise<JugglerServer> {
  const server = await listen({ port: 0, staticDir: folder, ...options });
  servers.push(server);
  return server;
}

/** A GET over a real connection, with any Host header (fetch() cannot set one). */
function get(server: JugglerServer, path: string, host = `127.0.0.1:${server.port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('static files', () => {
  test('a loopback server answers only loopback Host names (DNS rebinding)', async () => {
    const server = await start();
    assert.equal((await get(server, '/index.html', 'rebind.evil.example')).status, 403);
    assert.equal((await get(server, '/index.html', `rebind.evil.example:${server.port}`)).status, 403);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `app.localhost:${server.port}`, 'LOCALHOST']) {
      const answer = await get(server, '/index.html', host);
      assert.deepEqual(answer, { status: 200, body: '<h1>hello</h1>' }, host);
    }
  });

  test('a proxy name is answered, files and endpoint, when its origin or the name itself is allowed', async () => {
    const byOrigin = await start({ allowedOrigins: ['https://app.example'] });
    assert.equal((await get(byOrigin, '/', 'app.example')).status, 200);
    assert.equal((await get(byOrigin, '/', 'other.example')).status, 403);
    const byHost = await start({ allowedHosts: ['proxy.example'] });
    assert.equal((await get(byHost, '/', 'proxy.example:8443')).status, 200);
    assert.equal((await get(byHost, '/', 'other.example')).status, 403);
    (await rawSocket(byHost.url, { host: 'proxy.example', origin: 'https://proxy.example' })).close();
    await assert.rejects(rawSocket(byHost.url, { host: 'other.example', origin: 'https://other.example' }), /HTTP 403/);
    const anyHost = await start({ allowedHosts: '*' });
    assert.equal((await get(anyHost, '/', 'whatever.example')).status, 200);
  });

  test('hidden files and folders are not served, except /.well-known/', async () => {
    const server = await start();
    for (const path of ['/.env', '/%2eenv', '/.git/config', '/sub/.npmrc', '/sub/.hidden/file.txt', '/sub/%2ehidden/file.txt']) {
      const answer = await get(server, path);
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /SECRET|core|token|hidden/, path);
    }
    assert.deepEqual(await get(server, '/.well-known/security.txt'), { status: 200, body: 'Contact: x' });
  });

  test('symbolic links lead nowhere outside the folder, nor to a hidden file in it', async () => {
    const server = await start();
    for (const path of ['/linkdir/passwd', '/passwd-link', '/env-link.txt']) {
      const answer = await get(server, path);
      assert.equal(answer.status, 404, path);
      assert.doesNotMatch(answer.body, /root:|SECRET/, path);
    }
    assert.deepEqual(await get(server, '/alias.html'), { status: 200, body: '<h1>hello</h1>' });
  });

  test('without a folder, only the extra files are served', async () => {
    const server = await start({ staticDir: undefined, extraFiles: { '/kit.js': join(folder, 'index.html') } });
    assert.deepEqual(await get(server, '/kit.js'), { status: 200, body: '<h1>hello</h1>' });
    assert.equal((await get(server, '/')).status, 404);
    assert.equal((await get(server, '/index.html')).status, 404);
  });
});
