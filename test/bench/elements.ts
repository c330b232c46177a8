/**
 * `npm run bench`, second part: the elements in Chromium, and the bundle size.
 * Times per patch with 10 and with 10,000 binds on the page, measured in
 * turns in one browser, and their ratio.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LocalState } from '../../src/core/local-state.js';
import type { JsonObject } from '../../src/core/json.js';
import { listen } from '../../src/node/listen.js';
import { launchChromium } from '../support/browser.js';
import { median, printRows, type Row } from './measure.js';

const rows: Row[] = [];
const binds = 10_000;

const dir = await mkdtemp(join(tmpdir(), 'juggler-bench-'));
await build({ entryPoints: ['test/bench/elements-page.ts'], bundle: true, format: 'esm', target: 'es2022', minify: true, outfile: join(dir, 'page.js'), logLevel: 'warning', conditions: ['production'] });
await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><body><script type="module" src="page.js"></script>');

const data: JsonObject = {};
for (let i = 0; i < binds; i++) data[`k${i}`] = i;
const server = await listen({ port: 0, staticDir: dir, sharedState: new LocalState({ data }) });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(error));
  await page.goto(server.httpUrl);
  await page.waitForFunction(() => 'bench' in globalThis);

  const firstRender = await page.evaluate(async ({ url, binds }) => {
    const { bench } = globalThis as unknown as { bench: { firstRender(url: string, n: number): Promise<number> } };
    const times = [];
    for (let i = 0; i < 3; i++) times.push(await bench.firstRender(url, binds));
    return times.sort((a, b) => a - b)[1];
  }, { url: server.url, binds });

  const perPatch = await page.evaluate(async ({ url, binds }) => {
    type Page = { patch(iterations: number): number };
    const { bench } = globalThis as unknown as { bench: { pageWithBinds(url: string, n: number): Promise<Page> } };
    const few = await bench.pageWithBinds(url, 10);
    const many = await bench.pageWithBinds(url, binds);
    const fewTimes: number[] = [];
    const manyTimes: number[] = [];
    few.patch(2000);
    many.patch(2000);
    for (let round = 0; round < 9; round++) {
      fewTimes.push(few.patch(2000));
      manyTimes.push(many.patch(2000));
    }
    return { fewTimes, manyTimes };
  }, { url: server.url, binds });

  const few = median(perPatch.fewTimes) * 1000;
  const many = median(perPatch.manyTimes) * 1000;
  rows.push({
    benchmark: `one-path patch, applied and rendered, with ${binds.toLocaleString('en')} binds`,
    ours: `${many.toFixed(2)} µs`,
    baseline: `${few.toFixed(2)} µs with 10 binds`,
    ratio: `${(many / few).toFixed(2)}×`,
    target: '< 2×',
    met: many / few < 2,
  });
  rows.push({
    benchmark: `first render of ${binds.toLocaleString('en')} binds (upgrade, subscribe, render, layout)`,
    ours: `${firstRender.toFixed(0)} ms`,
    baseline: '-',
    ratio: `${((firstRender * 1000) / binds).toFixed(1)} µs per bind`,
    target: 'measured',
    met: true,
  });
} finally {
  await browser.close();
  await server.close();
}

// Bundle sizes: the kit's own code (its dependencies left out), its layers, and everything a page loads.
async function size(entry: string, external: string[]): Promise<{ min: number; gzip: number }> {
  const result = await build({ stdin: { contents: entry, resolveDir: 'src', loader: 'ts' }, bundle: true, minify: true, format: 'esm', target: 'es2022', write: false, external, conditions: ['production'] });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const dependencies = ['lit', 'lit/*', '@lit/*'];
const own = await size("export * from './browser.js';", dependencies);
const protocol = await size("export * from './core/index.js'; export * from './client/index.js';", dependencies);
const all = await size("export * from './browser.js';", []);
rows.push({
  benchmark: 'browser bundle: the kit alone (minified / gzipped)',
  ours: `${kb(own.min)} / ${kb(own.gzip)}`,
  baseline: `${kb(all.min)} / ${kb(all.gzip)} with lit and @lit/context`,
  ratio: `${((own.gzip / all.gzip) * 100).toFixed(0)}% of the total`,
  target: '< 6 KB gzipped',
  met: own.gzip < 6 * 1024,
});
rows.push({
  benchmark: '  of which the protocol core and client / the elements',
  ours: `${kb(protocol.gzip)} / ${kb(own.gzip - protocol.gzip)} gzipped`,
  baseline: '-',
  ratio: '-',
  target: 'measured',
  met: true,
});

printRows(rows);
