// The parts of `dist/` that no compiler writes: run by `npm run build` after `cem analyze`.
import { copyFileSync } from 'node:fs';

// The module `juggler-elements/node` resolves to in browser builds (see package.json "exports").
copyFileSync('src/node/in-browser.js', 'dist/node/in-browser.js');
