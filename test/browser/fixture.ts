import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { TestPeer, until } from './peer-control.js';

/** Puts HTML in the page for one test; `cleanUp()` (run after each test) removes it all. */
const mounted: HTMLElement[] = [];

export function fixture<T extends Element = HTMLElement>(html: string): T {
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  mounted.push(container);
  return container.firstElementChild as T;
}

export function cleanUp(): void {
  for (const container of mounted.splice(0)) container.remove();
}

/** Counts DOM mutations under a node (shadow roots included when given): how often it was re-rendered. */
export function countMutations(node: Node): { readonly count: number; stop(): void } {
  let count = 0;
  const observer = new MutationObserver((records) => (count += records.length));
  observer.observe(node, { subtree: true, childList: true, characterData: true, attributes: true });
  return {
    get count() {
      for (const _ of observer.takeRecords()) count++;
      return count;
    },
    stop: () => observer.disconnect(),
  };
}

/** Types into a control as a user would: focus, set the value, fire `input`. */
export function typeInto(control: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  control.focus();
  control.value = text;
  control.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: text }));
}

/** A test peer and a page fragment holding a <juggler-connection> to it, once open. */
export async function connectedPage(markup: (url: string) => string): Promise<{ peer: TestPeer; connection: JugglerConnection }> {
  const peer = await TestPeer.start();
  const connection = fixture<JugglerConnection>(markup(peer.url));
  await until(() => connection.status === 'open', 'the connection to open');
  return { peer, connection };
}
