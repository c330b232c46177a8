// The package as a user's tools see it: resolved by its name through the
// "exports" map (a package can import itself by name), from the built dist/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { build } from 'esbuild';

const run = promisify(execFile);
interface PackageJson {
  name: string;
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
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

describe('what the shipped files import', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : /\.(js|d\.ts)$/.test(entry.name) ? [join(dir, entry.name)] : [],
    );
  /** The packages a file names in import/export ... from, import(), and side-effect imports. */
  const packagesOf = (text: string): string[] =>
    [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\s`./][^'"\s`]*)\1/g)]
      .map(([, , specifier]) => specifier)
      .filter((specifier) => !specifier.startsWith('node:') && !builtinModules.includes(specifier.split('/')[0]))
      .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
  const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  /** What a consumer gets: the package, and for declarations its types (from @types where it ships none). */
  const provided = (name: string, declaration: boolean) => {
    const typesPackage = `@types/${name.replace(/^@(.*)\//, '$1__')}`;
    if (declaration && existsSync(join('node_modules', typesPackage))) return installed.has(typesPackage);
    return installed.has(name);
  };

  test('every package named by the built code and declarations is a dependency (or a peer) of the kit', () => {
    const missing: string[] = [];
    for (const file of files('dist')) {
      if (file === join('dist', 'node', 'in-browser.js')) continue;
      for (const name of packagesOf(readFileSync(file, 'utf8'))) {
        if (name !== pkg.name && !provided(name, file.endsWith('.d.ts'))) missing.push(`${file}: ${name}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('the packed package', () => {
  test('holds every file the exports map, the bin and the manifest field name, and no demo', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: process.cwd() });
    const packed = new Set((JSON.parse(stdout)[0].files as Array<{ path: string }>).map((file) => file.path));
    const targets = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : Object.values(value as Record<string, unknown>).flatMap(targets);
    const wanted = [...Object.values(pkg.exports).flatMap(targets), './dist/node/cli.js', './dist/custom-elements.json'];
    for (const file of wanted) assert.ok(packed.has(file.replace(/^\.\//, '')), `${file} is packed`);
    assert.deepEqual([...packed].filter((file) => file.startsWith('demo/')), []);
  });
});
