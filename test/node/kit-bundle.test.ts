/** listen() serves the kit's browser bundle beside a static folder, as the command does, so a page can load it. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listen, type JugglerServer, type ListenOptions } from '../../src/node/listen.js';

const servers: JugglerServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

let folder: string;
let ownBundle: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'juggler-page-'));
  await writeFile(join(folder, 'index.html'), '<script type="module" src="/juggler-elements.js"></script>');
  ownBundle = await mkdtemp(join(tmpdir(), 'juggler-own-bundle-'));
  await writeFile(join(ownBundle, 'juggler-elements.js'), 'export const own = true;');
});

async function start(options: ListenOptions): Promise<JugglerServer> {
  const server = await listen({ port: 0, ...options });
  servers.push(server);
  return server;
}

function get(server: JugglerServer, path: string): Promise<Response> {
  return fetch(new URL(path, server.httpUrl));
}

// The bundle is the built one (npm run build), as a user of the package has it.
const built = () => readFile('dist/juggler-elements.js', 'utf8');

describe("the kit's bundle", () => {
  test('is served beside a static folder, as JavaScript, with its source map', async () => {
    const server = await start({ staticDir: folder });
    assert.equal((await get(server, '/')).status, 200);
    const bundle = await get(server, '/juggler-elements.js');
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(await bundle.text(), await built());
    const map = await get(server, '/juggler-elements.js.map');
    assert.equal(map.status, 200);
    assert.equal(JSON.parse(await map.text()).version, 3);
  });

  test("gives way to the folder's own file of that name", async () => {
    const server = await start({ staticDir: ownBundle });
    assert.equal(await (await get(server, '/juggler-elements.js')).text(), 'export const own = true;');
  });

  test('is not served without a folder unless asked for, nor with serveBundle: false', async () => {
    assert.equal((await get(await start({}), '/juggler-elements.js')).status, 404);
    assert.equal((await get(await start({ staticDir: folder, serveBundle: false }), '/juggler-elements.js')).status, 404);
    const alone = await start({ serveBundle: true });
    assert.equal((await get(alone, '/juggler-elements.js')).status, 200);
    assert.equal((await get(alone, '/')).status, 404);
  });
});
