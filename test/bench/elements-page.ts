/**
 * Runs in Chromium: pages of binds and, as their baseline, the same pages of
 * plain elements that a hand-written script updates. Every value sits in a
 * fixed-size tile with `contain: strict`, in both, so a change relayouts its
 * tile and not the page: what differs between the two is the script.
 */
import '../../src/elements/define.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';

/** One page under test: takes a DATA frame as it would arrive from the socket. */
interface Target {
  deliver(frame: string): void;
  /** The text shown for the value at `/k{index}`. */
  shown(index: number): string;
}

const tileStyle = '.tiles{position:relative;font:12px monospace}.tile{position:absolute;width:48px;height:16px;contain:strict;overflow:hidden}';

function tiles(count: number, inner: (index: number) => string): string {
  let markup = `<div class="tiles" style="height:${Math.ceil(count / 40) * 16}px">`;
  for (let i = 0; i < count; i++) markup += `<div class="tile" style="left:${(i % 40) * 48}px;top:${Math.floor(i / 40) * 16}px">${inner(i)}</div>`;
  return `${markup}</div>`;
}

function addStyle(): void {
  const style = document.createElement('style');
  style.textContent = tileStyle;
  document.head.append(style);
}

async function connection(url: string): Promise<JugglerConnection> {
  const element = document.createElement('juggler-connection');
  element.setAttribute('url', url);
  document.body.append(element);
  while (element.remoteData === null) await new Promise((resolve) => setTimeout(resolve, 10));
  return element;
}

/** `count` binds of `/k0` … inside a connection to the bench server. */
async function kit(url: string, count: number): Promise<Target> {
  addStyle();
  const element = await connection(url);
  element.insertAdjacentHTML('beforeend', tiles(count, (i) => `<juggler-bind path="/k${i}"></juggler-bind>`));
  const binds = element.querySelectorAll('juggler-bind');
  return {
    deliver: (frame) => element.client.receive(frame),
    shown: (index) => binds[index].textContent ?? '',
  };
}

/**
 * The baseline: `count` plain spans and the least a hand-written script does
 * with a frame, which is to parse it and set the text of the node each
 * operation names.
 */
function byHand(count: number): Target {
  addStyle();
  const box = document.createElement('div');
  box.innerHTML = tiles(count, (i) => `<span>${i}</span>`);
  document.body.append(box);
  const texts = new Map<string, Text>();
  box.querySelectorAll('span').forEach((span, i) => texts.set(`/k${i}`, span.firstChild as Text));
  return {
    deliver(frame) {
      const message = JSON.parse(frame) as { type: string; payload: Array<{ op: string; path: string; value: unknown }> };
      if (message.type !== 'DATA') return;
      for (const op of message.payload) {
        const text = texts.get(op.path);
        if (text && op.op === 'replace') text.textContent = String(op.value);
      }
    },
    shown: (index) => texts.get(`/k${index}`)!.data,
  };
}

let target: Target | undefined;

/** Builds the page: the kit's binds or the hand-written baseline. */
async function setUp(kind: 'kit' | 'hand', url: string, count: number): Promise<void> {
  target = kind === 'kit' ? await kit(url, count) : byHand(count);
}

/** A DATA frame that replaces the values at `/k{index}` for each index. */
function frame(indices: number[], value: (index: number) => number): string {
  const ops = indices.map((i) => `{"op":"replace","path":"/k${i}","value":${value(i)}}`);
  return `{"type":"DATA","payload":[${ops.join(',')}]}`;
}

/** Milliseconds from a frame's arrival to the page's layout being up to date: script, style and layout. */
function deliverAndLayOut(text: string): number {
  const start = performance.now();
  target!.deliver(text);
  void document.body.offsetHeight;
  return performance.now() - start;
}

let sequence = 0;

/*
 * Without cross-origin isolation Chromium rounds `performance.now()` to 0.1 ms,
 * so the functions below return the mean over many patches rather than single ones.
 */

/**
 * One-path patches one after another, each laid out before the next unless
 * `scriptOnly`: mean milliseconds per patch.
 */
function onePathPatches(count: number, index: number, scriptOnly = false): number {
  let total = 0;
  for (let n = 0; n < count; n++) {
    sequence++;
    const text = frame([index], () => sequence);
    if (scriptOnly) {
      const start = performance.now();
      target!.deliver(text);
      total += performance.now() - start;
    } else {
      total += deliverAndLayOut(text);
    }
  }
  if (target!.shown(index) !== String(sequence)) throw new Error(`the value shown is "${target!.shown(index)}", not ${sequence}`);
  return total / count;
}

/**
 * A dashboard at `hz`: every tick, at the start of an animation frame, a frame
 * that changes every one of `values` values. Mean milliseconds per tick.
 */
async function dashboardTicks(ticks: number, values: number, hz: number): Promise<number> {
  const indices = Array.from({ length: values }, (_, i) => i);
  let total = 0;
  for (let n = 0; n < ticks; n++) {
    sequence++;
    const text = frame(indices, (i) => sequence * 1000 + i);
    await new Promise((resolve) => setTimeout(resolve, 1000 / hz));
    await new Promise((resolve) => requestAnimationFrame(resolve));
    total += deliverAndLayOut(text);
  }
  for (const i of [0, values - 1]) {
    if (target!.shown(i) !== String(sequence * 1000 + i)) throw new Error(`value ${i} shows "${target!.shown(i)}"`);
  }
  return total / ticks;
}

/** Milliseconds from inserting `count` binds to their first render, layout included. */
async function firstRender(url: string, count: number): Promise<number> {
  const element = await connection(url);
  const box = document.createElement('div');
  box.innerHTML = tiles(count, (i) => `<juggler-bind path="/k${i}"></juggler-bind>`);
  const start = performance.now();
  element.append(box);
  void document.body.offsetHeight;
  const time = performance.now() - start;
  const last = box.querySelectorAll('juggler-bind')[count - 1].lastChild as Text;
  if (last.data !== String(count - 1)) throw new Error(`the last bind shows "${last.data}"`);
  element.remove();
  return time;
}

/** The baseline of `firstRender`: the same tiles built by a script that writes each value in. */
function firstRenderByHand(count: number): number {
  const values = Array.from({ length: count }, (_, i) => i);
  const box = document.createElement('div');
  box.innerHTML = tiles(count, () => '<span></span>');
  const start = performance.now();
  document.body.append(box);
  box.querySelectorAll('span').forEach((span, i) => (span.textContent = String(values[i])));
  void document.body.offsetHeight;
  const time = performance.now() - start;
  box.remove();
  return time;
}

Object.assign(globalThis, { bench: { setUp, onePathPatches, dashboardTicks, firstRender, firstRenderByHand } });
