// The package as a user's tools see it: resolved by its name through the
// "exports" map (a package can import itself by name), from the built dist/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { build } from 'esbuild';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; exports: Record<string, unknown> };
const subpaths = Object.keys(pkg.exports);
const specifier = (subpath: string) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
const tags = ['juggler-connection', 'juggler-bind', 'juggler-list', 'juggler-send', 'juggler-status'];
/** Entry points that are modules to run (not JSON, not the module that refuses browsers). */
const modules = subpaths.filter((subpath) => !subpath.endsWith('.json')).map(specifier);

/** Runs an ES module source in a fresh Node process (no DOM, no loaders) inside the package, so it resolves itself. */
async function runModule(source: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', source], { cwd: process.cwd() });
  return stdout;
}

describe('the exports map', () => {
  test('every entry resolves by the package name to a built file, with types where it is code', () => {
    for (const subpath of subpaths) {
      const file = fileURLToPath(import.meta.resolve(specifier(subpath)));
      assert.ok(existsSync(file), `${specifier(subpath)} -> ${file}`);
      const target = pkg.exports[subpath];
      if (subpath.endsWith('.json')) continue;
      const types = (target as { types?: string }).types;
      assert.ok(types, `${subpath} has types`);
      assert.ok(existsSync(types), `${subpath}: ${types} exists`);
    }
  });

  test('each tag has its own define module', () => {
    for (const tag of tags) assert.ok(subpaths.includes(`./define/${tag}`), tag);
  });

  test('every entry imports in plain Node, with no DOM', async () => {
    const source = `
      for (const specifier of ${JSON.stringify(modules)}) {
        try { await import(specifier); } catch (error) { console.log(specifier + ': ' + error); }
      }
      console.log('HTMLElement' in globalThis ? 'DOM present' : 'done');`;
    assert.equal((await runModule(source)).trim(), 'done');
  });

  test('under the SSR DOM shim, the define modules register the tags', async () => {
    const source = `
      import { HTMLElement, customElements } from '@lit-labs/ssr-dom-shim';
      Object.assign(globalThis, { HTMLElement, customElements });
      const kit = await import('juggler-elements');
      await import('juggler-elements/define');
      const names = { 'juggler-connection': 'JugglerConnection', 'juggler-bind': 'JugglerBind', 'juggler-list': 'JugglerList', 'juggler-send': 'JugglerSend', 'juggler-status': 'JugglerStatus' };
      for (const [tag, name] of Object.entries(names)) console.log(tag, customElements.get(tag) === kit[name]);
      new kit.JugglerConnection();
      console.log('created');`;
    assert.deepEqual((await runModule(source)).trim().split('\n'), [...tags.map((tag) => `${tag} true`), 'created']);
  });
});

describe('juggler-elements/node', () => {
  const bundle = (platform: 'browser' | 'node') =>
    build({
      stdin: { contents: "import { listen } from 'juggler-elements/node'; console.log(listen);", resolveDir: process.cwd() },
      bundle: true,
      write: false,
      platform,
      format: 'esm',
      logLevel: 'silent',
      external: ['ws'],
    });

  test('a browser build stops, saying the module is for Node.js only', async () => {
    await assert.rejects(bundle('browser'), (error: Error) => {
      assert.match(error.message, /juggler-elements\/node is for Node\.js only: in a browser, import juggler-elements or juggler-elements\/client/);
      return true;
    });
  });

  test('a Node build takes it', async () => {
    const result = await bundle('node');
    assert.equal(result.errors.length, 0);
    assert.match(result.outputFiles[0].text, /WebSocketServer/);
  });
});
