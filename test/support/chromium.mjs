// Finds a Chrome or Chromium for the browser tests, and installs Debian's
// `chromium` where that is safe to do unasked (root, with apt-get).
import { ensureBinary, findBinary } from './system-binary.mjs';

const chromium = {
  what: 'Chrome or Chromium',
  envVar: 'CHROME_PATH',
  debianPackage: 'chromium',
  candidates: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  hint:
    'Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`; Fedora: `sudo dnf install chromium`) ' +
    'or point CHROME_PATH at a Chrome or Chromium binary.',
};

/** The browser binary to use, or undefined. CHROME_PATH wins when set. */
export function findChromium() {
  return findBinary(chromium);
}

/** Like findChromium, but installs Debian's chromium when running as root with apt-get. */
export function ensureChromium() {
  return ensureBinary(chromium);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(`Browser for tests: ${ensureChromium()}`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
