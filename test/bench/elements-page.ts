/** Runs in Chromium: measures the elements against a page served by the bench runner. */
import '../../src/elements/define.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';

async function connection(url: string): Promise<JugglerConnection> {
  const element = document.createElement('juggler-connection');
  element.setAttribute('url', url);
  document.body.append(element);
  while (element.remoteData === null) await new Promise((resolve) => setTimeout(resolve, 10));
  return element;
}

function binds(count: number): string {
  let markup = '';
  for (let i = 0; i < count; i++) markup += `<juggler-bind path="/k${i}"></juggler-bind>`;
  return markup;
}

/** Milliseconds from inserting `count` binds to their first render, layout included. */
async function firstRender(url: string, count: number): Promise<number> {
  const element = await connection(url);
  const box = document.createElement('div');
  box.innerHTML = binds(count);
  const start = performance.now();
  element.append(box);
  void document.body.offsetHeight;
  const time = performance.now() - start;
  const last = box.lastElementChild!.lastChild as Text;
  if (last.data !== String(count - 1)) throw new Error(`the last bind shows "${last.data}"`);
  element.remove();
  return time;
}

/** A page with `count` binds; `patch(iterations)` times one-path patches through the client, render included. */
async function pageWithBinds(url: string, count: number) {
  const element = await connection(url);
  element.insertAdjacentHTML('beforeend', binds(count));
  const target = element.querySelector('juggler-bind[path="/k5"]')!.lastChild as Text;
  let value = 0;
  return {
    patch(iterations: number): number {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) {
        value++;
        element.client.receive(`{"type":"DATA","payload":[{"op":"replace","path":"/k5","value":${value}}]}`);
      }
      const time = (performance.now() - start) / iterations;
      if (target.data !== String(value)) throw new Error('the bound text did not follow the patch');
      return time;
    },
  };
}

Object.assign(globalThis, { bench: { firstRender, pageWithBinds } });
