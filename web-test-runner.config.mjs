import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { register } from 'tsx/esm/api';
import { findChromium } from './test/support/chromium.mjs';

// The test peer is TypeScript that runs in this Node process.
register();
const { peerCommands } = await import('./test/support/peer-commands.ts');

const executablePath = findChromium();
if (!executablePath) throw new Error('No Chrome or Chromium found: run `node test/support/chromium.mjs` or set CHROME_PATH.');

export default {
  files: ['test/browser/**/*.test.ts'],
  // Lit's production build: the dev build warns in every test file.
  nodeResolve: { exportConditions: ['production'] },
  // es2022: with `auto`, esbuild leaves decorators for the browser to choke on.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), peerCommands()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 120000,
};
