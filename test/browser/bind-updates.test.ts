/**
 * What a change of a text `<juggler-bind>` asks of the page: one write of one
 * text node's data. Reading a node's text back, reading attributes, or a slot
 * whose assignment Chromium recomputes on every text change, each cost as much
 * again as the write, on every change of every bind of a dashboard.
 */
import { expect } from 'chai';
import { html, render } from 'lit';
import '../../src/elements/define.js';
import { cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

/** Counts calls of DOM accessors while `run` runs: text reads and writes, attribute reads. */
function countDomCalls(run: () => void): { textReads: number; textWrites: number; attributeReads: number } {
  const counts = { textReads: 0, textWrites: 0, attributeReads: 0 };
  const data = Object.getOwnPropertyDescriptor(CharacterData.prototype, 'data')!;
  const { getAttribute, hasAttribute } = Element.prototype;
  Object.defineProperty(CharacterData.prototype, 'data', {
    ...data,
    get(this: CharacterData) {
      counts.textReads++;
      return data.get!.call(this);
    },
    set(this: CharacterData, value: string) {
      counts.textWrites++;
      data.set!.call(this, value);
    },
  });
  Element.prototype.getAttribute = function (this: Element, name: string) {
    counts.attributeReads++;
    return getAttribute.call(this, name);
  };
  Element.prototype.hasAttribute = function (this: Element, name: string) {
    counts.attributeReads++;
    return hasAttribute.call(this, name);
  };
  try {
    run();
  } finally {
    Object.defineProperty(CharacterData.prototype, 'data', data);
    Object.assign(Element.prototype, { getAttribute, hasAttribute });
  }
  return counts;
}

const replace = (path: string, value: unknown) => JSON.stringify({ type: 'DATA', payload: [{ op: 'replace', path, value }] });

describe('<juggler-bind> updates', () => {
  it('write one text node per change, and read neither text nor attributes', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind path="/n"></juggler-bind><juggler-bind path="/m" digits="1"></juggler-bind></juggler-connection>`,
    );
    const [n, m] = connection.querySelectorAll('juggler-bind');
    await peer.set('', { n: 0, m: 0 });
    await until(() => n.textContent === '0' && m.textContent === '0.0', 'the first values');
    const counts = countDomCalls(() => {
      for (let i = 1; i <= 3; i++) connection.client.receive(replace('/n', i));
      connection.client.receive(replace('/m', 2.25));
    });
    expect(counts).to.deep.equal({ textReads: 0, textWrites: 4, attributeReads: 0 });
    expect([n.textContent, m.textContent]).to.deep.equal(['3', '2.3']);
  });

  it('have no shadow root, whose slot would be assigned again on every change, and still hear their children change', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"><p id="app"></p></juggler-connection>`);
    const app = connection.querySelector('#app') as HTMLElement;
    const view = (fallback: string) => html`<juggler-bind path="/name">${fallback}</juggler-bind>`;
    render(view(''), app);
    const bind = app.querySelector('juggler-bind')!;
    await peer.set('/name', 'Ada');
    await until(() => bind.textContent === 'Ada', 'the value');
    expect(bind.shadowRoot === null).to.equal(true, 'a shadow root');
    // Lit renders a fallback later (in place of the bind's own text node, which it clears away): the value comes back at once.
    render(view('nobody'), app);
    expect(bind.textContent).to.equal('nobody', 'before the bind hears of it');
    await until(() => bind.textContent === 'Ada', 'the value again');
    await peer.set('/name', null);
    await until(() => bind.textContent === 'nobody', 'the fallback');
    // And an element put in later makes it a bind of controls.
    bind.append(Object.assign(document.createElement('input'), { name: 'who' }));
    await peer.set('/name', 'Grace');
    await until(() => bind.querySelector('input')!.value === 'Grace', 'the value in the input');
  });
});
