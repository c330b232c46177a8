/** `bind()` from `juggler-elements/lit` in Lit templates, on a real connection to a Node peer. */
import { expect } from 'chai';
import { html, LitElement, render } from 'lit';
import '../../src/elements/define.js';
import { bind } from '../../src/lit/index.js';
import { countMutations, cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

/** A component of the page's own: two bound values and a count of its renders. */
class PlantView extends LitElement {
  renders = 0;
  protected override render(): unknown {
    return html`<p class="a">A: ${bind('/a')}</p>
      <p class="b">${bind('/b', { format: (value) => (value === undefined ? 'none' : `b is ${String(value)}`) })}</p>
      <p class="mine" title=${bind('/mine', { source: 'local' })}>${bind('/mine', { source: 'local' })}</p>`;
  }
  protected override updated(): void {
    this.renders++;
  }
}
customElements.define('plant-view', PlantView);

const textOf = (view: PlantView, selector: string) => view.shadowRoot!.querySelector(selector)!.textContent!.replace(/\s+/g, ' ').trim();

describe('bind() in Lit templates', () => {
  it('renders the value at its path and follows changes, remote and local', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><plant-view></plant-view></juggler-connection>`);
    const view = connection.querySelector<PlantView>('plant-view')!;
    await until(() => textOf(view, '.b') === 'none', 'the first render');
    await peer.set('', { a: 1, b: '<i>two</i>' });
    await until(() => textOf(view, '.a') === 'A: 1', 'the remote value');
    expect(textOf(view, '.b')).to.equal('b is <i>two</i>');
    expect(view.shadowRoot!.querySelector('i')).to.equal(null, 'strings are text, never HTML');
    connection.setAt('/mine', 'local text');
    await until(() => textOf(view, '.mine') === 'local text', 'the local value');
    expect(view.shadowRoot!.querySelector('.mine')!.getAttribute('title')).to.equal('local text');
  });

  it('updates only its own part: the component does not re-render and the other parts are untouched', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><plant-view></plant-view></juggler-connection>`);
    const view = connection.querySelector<PlantView>('plant-view')!;
    await peer.set('', { a: 1, b: 2 });
    await until(() => textOf(view, '.a') === 'A: 1' && textOf(view, '.b') === 'b is 2', 'the values');
    const renders = view.renders;
    const other = countMutations(view.shadowRoot!.querySelector('.b')!);
    const own = countMutations(view.shadowRoot!.querySelector('.a')!);
    for (let i = 2; i <= 5; i++) await peer.set('/a', i);
    await until(() => textOf(view, '.a') === 'A: 5', 'the last change');
    expect(view.renders).to.equal(renders);
    expect(other.count).to.equal(0);
    expect(own.count).to.be.at.least(1);
    other.stop();
    own.stop();
  });

  it('unsubscribes when its component leaves the page, and follows again when it comes back', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><plant-view></plant-view></juggler-connection>`);
    const view = connection.querySelector<PlantView>('plant-view')!;
    await peer.set('', { a: 1 });
    await until(() => textOf(view, '.a') === 'A: 1', 'the value');
    view.remove();
    await peer.set('/a', 2);
    await until(() => connection.read('/a') === 2, 'the change to arrive');
    expect(textOf(view, '.a')).to.equal('A: 1', 'a part off the page hears nothing');
    connection.append(view);
    await until(() => textOf(view, '.a') === 'A: 2', 'the value after coming back');
  });

  it('works in a template rendered into a plain element, and stops when the template goes', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><div></div></juggler-connection>`);
    const container = connection.querySelector('div')!;
    render(html`<span>${bind('/n')}</span>`, container);
    await peer.set('/n', 1);
    await until(() => container.textContent === '1', 'the value');
    const span = container.querySelector('span')!;
    render(html`nothing bound`, container);
    await peer.set('/n', 2);
    await until(() => connection.read('/n') === 2, 'the change to arrive');
    expect(span.textContent).to.equal('1', 'the removed part was unsubscribed');
  });
});
