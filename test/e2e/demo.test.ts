/**
 * The demo end to end, as a newcomer meets it: `npm start`, two browser pages,
 * live values, a control shared between the pages, a request answered, and the
 * back-end stopped and started again. Any console error or failed request fails
 * the test, except the reports of the refused WebSocket while the back-end is
 * down: the browser's own, and the kit's (the connection says why it cannot connect).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';

const screenshots = 'test-output/screenshots';
let port: number;
let backEnd: ChildProcess | undefined;
let browser: Browser;
const problems: string[] = [];
let backEndDown = false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Runs `npm start` as the README says, and resolves once it serves. */
function startDemo(): Promise<void> {
  const child = spawn('npm', ['start'], { env: { ...process.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  backEnd = child;
  let output = '';
  return new Promise((resolve, reject) => {
    // Once: the command goes on logging connections, also while it shuts down.
    let serving = false;
    const read = (chunk: Buffer) => {
      output += chunk;
      if (!serving && output.includes('juggler-elements: serving')) {
        serving = true;
        backEndDown = false;
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** Stops the back-end: the whole process group that `npm start` made. */
async function stopDemo(): Promise<void> {
  const child = backEnd;
  if (!child || child.exitCode !== null) return;
  backEndDown = true;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}

async function openPage(path = '/', options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  const where = `${path} (${options.colorScheme ?? 'light'})`;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (backEndDown && /WebSocket connection to .* failed|<juggler-connection .*>: cannot reach /.test(message.text())) return;
    problems.push(`console error on ${where}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${where}: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!backEndDown) problems.push(`failed request on ${where}: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} on ${where}: ${response.url()}`);
  });
  await page.goto(`http://127.0.0.1:${port}${path}`);
  await page.waitForSelector('juggler-connection[status=open]');
  return page;
}

const text = (page: Page, selector: string) => page.locator(selector).first().evaluate((bind) => bind.textContent!);
const ticks = (page: Page) => text(page, '.counters juggler-bind[path="/counters/ticks"]').then(Number);

before(async () => {
  port = await freePort();
  await mkdir(screenshots, { recursive: true });
  browser = await launchChromium();
  await startDemo();
});

after(async () => {
  await browser?.close();
  await stopDemo();
});

describe('the demo', { timeout: 180_000 }, () => {
  test('two pages: live values, a shared control, a request, and a back-end that goes away and comes back', async () => {
    const first = await openPage();
    const second = await openPage();

    // Live values move.
    const before = await ticks(first);
    const chart = () => first.locator('line-chart').first().evaluate((chart) => chart.shadowRoot!.querySelector('.line')!.getAttribute('d'));
    const drawn = await chart();
    await first.waitForFunction((start) => Number(document.querySelector('.counters juggler-bind')!.textContent) > start + 3, before);
    assert.notEqual(await chart(), drawn, 'the chart moves');

    // The slider in one page moves the value in the other, within the delay.
    const slider = first.locator('.controls input[type=range]');
    await slider.focus();
    for (let i = 0; i < 5; i++) await slider.press('ArrowRight');
    await second.waitForFunction(() => (document.querySelector('.controls input[type=range]') as HTMLInputElement).value === '55');
    assert.equal(await text(second, '.controls output juggler-bind'), '55');
    await first.locator('.controls select').selectOption('eco');
    await second.waitForFunction(() => (document.querySelector('.controls select') as HTMLSelectElement).value === 'eco');
    // The other page changes it, and the first chooses eco again: that choice too reaches every page.
    const modeIs = (page: Page, mode: string) =>
      page.waitForFunction((mode) => document.querySelector('.subtitle juggler-bind[path="/controls/mode"]')!.textContent === mode, mode);
    await second.locator('.controls select').selectOption('manual');
    await modeIs(first, 'manual');
    await first.locator('.controls select').selectOption('eco');
    await modeIs(first, 'eco');
    await modeIs(second, 'eco');
    await second.waitForFunction(() => (document.querySelector('.controls select') as HTMLSelectElement).value === 'eco');
    // The second page asks for eco too: each page pushes its own requests again when it reconnects, so after the
    // restart below the controls come back as the pages last asked, whichever page reconnects first.
    await second.locator('.controls select').selectOption('eco');

    // The inspector, loaded when its button is first pressed: the live data, and the traffic.
    const toggle = first.getByRole('button', { name: 'Inspector' });
    assert.equal(await first.evaluate(() => customElements.get('juggler-inspector')), undefined, 'not loaded before it is asked for');
    await toggle.click();
    const inspector = first.locator('juggler-inspector');
    await inspector.locator('li[data-source="remote"][data-pointer="/counters"]').waitFor();
    await inspector.locator('tbody tr').first().waitFor();

    // A request made as a call, its answer shown in the log, and both seen in the inspector's traffic.
    await first.getByRole('button', { name: 'Ping the back-end' }).click();
    await first.waitForSelector('#log li', { hasText: 'Pong' } as never);
    assert.match((await first.locator('#log li').first().textContent()) ?? '', /Pong: the back-end answered at tick \d+/);
    await inspector.locator('td.type', { hasText: 'MESSAGE call ping #' }).first().waitFor();
    await inspector.locator('td.type', { hasText: 'MESSAGE answer #' }).first().waitFor();
    await inspector.screenshot({ path: `${screenshots}/inspector.png` });
    await toggle.click();
    assert.equal(await inspector.count(), 0, 'closed, the inspector leaves the page');
    assert.equal(await first.evaluate(() => (document.querySelector('juggler-connection') as HTMLElement & { client: { tap?: unknown } }).client.tap), undefined);

    // The back-end stops: both pages say so and keep showing the last values.
    await stopDemo();
    for (const page of [first, second]) {
      await page.waitForSelector('juggler-connection[status=reconnecting]');
      assert.equal(await page.locator('.banner').isVisible(), true);
      assert.ok((await ticks(page)) > 0, 'the page never goes blank');
    }
    await first.screenshot({ path: `${screenshots}/dashboard-reconnecting.png` });

    // It comes back: open again, live again, and the shared controls restored from the pages' own data.
    await startDemo();
    for (const page of [first, second]) {
      await page.waitForSelector('juggler-connection[status=open]', { timeout: 30_000 });
      const restarted = await ticks(page);
      await page.waitForFunction((start) => Number(document.querySelector('.counters juggler-bind')!.textContent) > start, restarted);
      await page.waitForFunction(() => (document.querySelector('.controls input[type=range]') as HTMLInputElement).value === '55');
      assert.equal(await page.locator('.banner').isVisible(), false);
    }
    assert.equal(await second.locator('.controls select').inputValue(), 'eco');
    await first.close();
    await second.close();
  });

  test('screenshots: light and dark, desktop and phone', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [device, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const page = await openPage('/', { colorScheme, viewport });
        await page.waitForFunction(() => Number(document.querySelector('.counters juggler-bind')!.textContent) > 0);
        await page.waitForTimeout(300);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `no sideways scrolling on ${device} (${width}px)`);
        await page.screenshot({ path: `${screenshots}/dashboard-${device}-${colorScheme}.png`, fullPage: device === 'desktop' });
        await page.close();
      }
    }
  });

  for (const framework of ['react', 'vue']) {
    test(`the ${framework} page: events, properties and a two-way control`, async () => {
      const page = await openPage(`/${framework}/`);
      const dashboard = await openPage('/');
      await page.waitForFunction(() => document.querySelector('[data-testid=status]')!.textContent === 'open');
      await page.waitForFunction(() => Number(document.querySelector('juggler-bind')!.textContent) > 0);
      await page.waitForFunction(() => ((document.querySelector('line-chart') as HTMLElement & { samples: number[] }).samples ?? []).length > 10);
      const slider = page.locator('input[type=range]');
      await slider.focus();
      await slider.press('Home');
      await dashboard.waitForFunction(() => (document.querySelector('.controls input[type=range]') as HTMLInputElement).value === '0');
      await dashboard.locator('.controls select').selectOption('manual');
      await page.waitForFunction(() => (document.querySelector('select') as HTMLSelectElement).value === 'manual');
      await page.getByRole('button', { name: 'Ping the back-end' }).click();
      await page.waitForFunction(() => /Pong/.test(document.querySelector('[data-testid=log]')!.textContent ?? ''));
      await page.screenshot({ path: `${screenshots}/${framework}.png` });
      await page.close();
      await dashboard.close();
    });
  }

  test('no console errors and no failed requests anywhere', () => {
    assert.deepEqual(problems, []);
  });
});
