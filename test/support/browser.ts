import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from './chromium.mjs';

/**
 * Debian's Chromium (or CHROME_PATH) driven by Playwright. Without the
 * background-networking switches Chromium keeps trying hosts this sandbox
 * cannot reach.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
