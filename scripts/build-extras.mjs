// The parts of `dist/` that no compiler writes: run by `npm run build` after `cem analyze`.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameworkTypes } from './framework-types.mjs';
import { vscodeCustomData } from './vscode-custom-data.mjs';

// The module `juggler-elements/node` resolves to in browser builds (see package.json "exports").
copyFileSync('src/node/in-browser.js', 'dist/node/in-browser.js');

const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8'));
writeFileSync('dist/vscode.html-custom-data.json', `${JSON.stringify(vscodeCustomData(manifest), null, 2)}\n`);
mkdirSync('dist/frameworks', { recursive: true });
for (const [name, text] of Object.entries(frameworkTypes(manifest))) writeFileSync(join('dist/frameworks', name), text);
