/**
 * `<juggler-bind>` text lives in the light DOM: what `textContent`, `innerText`,
 * a copy and testing libraries read is the value, and the author's fallback
 * comes back when the value goes away, also when a framework owns the children.
 */
import { expect } from 'chai';
import { html, render } from 'lit';
import '../../src/elements/define.js';
import { cleanUp, connectedPage, countMutations } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

/** What testing libraries' `getByText` does: the element whose own text is exactly this. */
const byText = (root: ParentNode, text: string) => [...root.querySelectorAll('*')].filter((element) => element.textContent === text && element.children.length === 0);

describe('<juggler-bind> text in the light DOM', () => {
  it('is what textContent, innerText, a selection and getByText see; the fallback returns for missing, null and empty', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><p>Hello <juggler-bind path="/name">stranger</juggler-bind>!</p></juggler-connection>`,
    );
    const bind = connection.querySelector('juggler-bind')!;
    const p = connection.querySelector('p')!;
    expect(bind.textContent).to.equal('stranger');
    await peer.set('/name', 'Ada');
    await until(() => bind.textContent === 'Ada', 'the value in textContent');
    expect(p.innerText).to.equal('Hello Ada!');
    expect(byText(connection, 'Ada')).to.deep.equal([bind]);
    const selection = getSelection()!;
    selection.selectAllChildren(p);
    expect(selection.toString()).to.equal('Hello Ada!', 'what a copy takes');
    selection.removeAllRanges();
    for (const missing of [null, '']) {
      await peer.set('/name', 'again');
      await until(() => bind.textContent === 'again', 'a value');
      await peer.set('/name', missing);
      await until(() => bind.textContent === 'stranger', `the fallback for ${JSON.stringify(missing)}`);
    }
    await peer.set('', {});
    expect(bind.textContent).to.equal('stranger', 'and for a missing value');
    expect(bind.childNodes.length).to.equal(1, 'no node was added: the author’s text node carries the value');
  });

  it('sets one text node’s data per change, and adds a node only when there is no fallback', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind id="empty" path="/n"></juggler-bind><juggler-bind id="full" path="/n">–</juggler-bind></juggler-connection>`,
    );
    const [empty, full] = connection.querySelectorAll('juggler-bind');
    await peer.set('/n', 1);
    await until(() => empty.textContent === '1' && full.textContent === '1', 'the first value');
    const changes = [countMutations(empty), countMutations(full)];
    await peer.set('/n', 2);
    await until(() => empty.textContent === '2' && full.textContent === '2', 'the second value');
    expect(changes.map((c) => c.count)).to.deep.equal([1, 1]);
    expect([empty.childNodes.length, full.childNodes.length]).to.deep.equal([1, 1]);
  });

  it('leaves the nodes a framework rendered in place: Lit can update its fallback and remove it', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"><div id="app"></div></juggler-connection>`);
    const app = connection.querySelector('#app') as HTMLElement;
    const view = (fallback: string, show = true) => html`${show ? html`<juggler-bind path="/name">${fallback}</juggler-bind>` : ''}`;
    render(view('nobody'), app);
    const bind = app.querySelector('juggler-bind')!;
    await until(() => bind.textContent === 'nobody', 'the fallback');
    await peer.set('/name', 'Ada');
    await until(() => bind.textContent === 'Ada', 'the value');
    // Lit writes its text node's data: while a value shows, that is the new fallback.
    render(view('no one'), app);
    await peer.set('/name', 'Grace');
    await until(() => bind.textContent === 'Grace', 'the next value');
    await peer.set('/name', null);
    await until(() => bind.textContent === 'no one', 'the fallback Lit rendered last');
    render(view('anyone'), app);
    expect(bind.textContent).to.equal('anyone');
    await peer.set('/name', 'Ada');
    await until(() => bind.textContent === 'Ada', 'a value again');
    render(view('x', false), app);
    expect(app.querySelector('juggler-bind')).to.equal(null, 'Lit removed it');
  });

  it('leaves the nodes a framework rendered in place: Vue can update its fallback and remove it', async () => {
    // Vue's browser build (with the template compiler); its package entry is for bundlers.
    // @ts-expect-error the browser build's types are the package's
    const { createApp, ref } = (await import('vue/dist/vue.esm-browser.prod.js')) as typeof import('vue');
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"><div id="app"></div></juggler-connection>`);
    const fallback = ref('nobody');
    const shown = ref(true);
    const app = createApp({ setup: () => ({ fallback, shown }), template: `<p v-if="shown">Hi <juggler-bind path="/name">{{ fallback }}</juggler-bind></p>` });
    app.config.compilerOptions.isCustomElement = (tag: string) => tag.startsWith('juggler-');
    const errors: unknown[] = [];
    app.config.errorHandler = (error: unknown) => void errors.push(error);
    app.mount(connection.querySelector('#app')!);
    const bind = () => connection.querySelector('juggler-bind')!;
    await until(() => bind().textContent === 'nobody', 'the fallback');
    await peer.set('/name', 'Ada');
    await until(() => bind().textContent === 'Ada', 'the value');
    fallback.value = 'no one';
    await peer.set('/name', null);
    await until(() => bind().textContent === 'no one', 'the fallback Vue rendered last');
    await peer.set('/name', 'Grace');
    await until(() => bind().textContent === 'Grace', 'the next value');
    shown.value = false;
    await until(() => connection.querySelector('juggler-bind') === null, 'Vue to remove it');
    expect(errors).to.deep.equal([]);
    app.unmount();
  });
});
