import { expect } from 'chai';
import { LitElement, html } from 'lit';
import '../../src/elements/define.js';
import { JugglerController } from '../../src/elements/controller/juggler-controller.js';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import { cleanUp, connectedPage, countMutations, fixture, typeInto } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);


const texts = (root: ParentNode, selector: string) =>
  [...root.querySelectorAll(selector)].map((bind) => bind.textContent);

describe('<juggler-list>', () => {
  it('renders a copy of its template per item, each bind relative to its item', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/rows" key="/id"><table><tbody>
        <template><tr><td><juggler-bind path="/name"></juggler-bind></td><td><juggler-bind path="/n"></juggler-bind></td></tr></template>
      </tbody></table></juggler-list></juggler-connection>`,
    );
    await peer.set('/rows', [
      { id: 1, name: 'one', n: 1 },
      { id: 2, name: 'two', n: 2 },
    ]);
    await until(() => connection.querySelectorAll('tr').length === 2, 'two rows');
    await until(() => texts(connection, 'td:first-child juggler-bind').join() === 'one,two', 'the names');
    expect(connection.querySelector('tbody')!.children[0].tagName).to.equal('TEMPLATE', 'copies go after the template, in the table');
  });

  it('slides a window and appends without rebuilding the rows that stay, and updates an item in place', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/rows" key="/id"><ul>
        <template><li><juggler-bind path="/name"></juggler-bind></li></template>
      </ul></juggler-list></juggler-connection>`,
    );
    const rows = (n: number[]) => n.map((id) => ({ id, name: `row ${id}` }));
    await peer.set('/rows', rows([1, 2, 3, 4]));
    await until(() => connection.querySelectorAll('li').length === 4, 'four rows');
    const [, second, third, fourth] = connection.querySelectorAll('li');
    const ul = connection.querySelector('ul')!;
    const records: MutationRecord[] = [];
    const structure = new MutationObserver((batch) => records.push(...batch));
    structure.observe(ul, { childList: true });
    const rowRenders = [second, third, fourth].map((li) => countMutations(li.querySelector('juggler-bind')!));
    // Slide the window: drop the first, append a fifth (two operations on the wire).
    await peer.set('/rows', rows([2, 3, 4, 5]));
    await until(() => texts(connection, 'li juggler-bind').join() === 'row 2,row 3,row 4,row 5', 'the slid window');
    const [a, b, c] = connection.querySelectorAll('li');
    expect([a, b, c]).to.deep.equal([second, third, fourth], 'the rows that stay are the same elements');
    const changes = [...records, ...structure.takeRecords()];
    expect(changes.flatMap((r) => [...r.removedNodes]).filter((n) => n.nodeType === 1)).to.have.length(1);
    expect(changes.flatMap((r) => [...r.addedNodes]).filter((n) => n.nodeType === 1)).to.have.length(1);
    expect(rowRenders.map((r) => r.count)).to.deep.equal([0, 0, 0], 'their binds were not re-rendered');
    await peer.set('/rows/1/name', 'renamed');
    await until(() => texts(connection, 'li juggler-bind')[1] === 'renamed', 'the item updated in place');
    expect(connection.querySelectorAll('li')[1]).to.equal(third);
  });

  it('nests lists, and binds inside items can write relative to their item', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="0"><juggler-list path="/groups">
        <template><section><juggler-bind class="title" path="/title"></juggler-bind>
          <juggler-list path="/items"><template><juggler-bind class="item" path=""></juggler-bind></template></juggler-list>
          <juggler-bind path="/title" write-path="/title"><input></juggler-bind>
        </section></template>
      </juggler-list></juggler-connection>`,
    );
    await peer.set('/groups', [
      { title: 'A', items: ['a1', 'a2'] },
      { title: 'B', items: ['b1'] },
    ]);
    await until(() => texts(connection, '.item').join() === 'a1,a2,b1', 'the nested items');
    expect(texts(connection, '.title').join()).to.equal('A,B');
    typeInto(connection.querySelectorAll('input')[1], 'Bee');
    expect(connection.localData).to.deep.equal({ groups: { 1: { title: 'Bee' } } });
  });
});

describe('<juggler-send>', () => {
  it('sends its message when its button is clicked', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='{"action":"reset"}'><button>Reset</button></juggler-send></juggler-connection>`,
    );
    connection.querySelector('button')!.click();
    await until(async () => (await peer.messages()).length === 1, 'the message');
    expect(await peer.messages()).to.deep.equal([{ action: 'reset' }]);
  });

  it('sends a form’s fields on submit, typed, without navigating', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='{"action":"order"}'><form>
        <input name="item" value="tea"><input name="count" type="number" value="2"><input name="urgent" type="checkbox" checked>
        <input type="radio" name="size" value="s"><input type="radio" name="size" value="l" checked>
        <button>Order</button></form></juggler-send></juggler-connection>`,
    );
    const before = location.href;
    let submitted: SubmitEvent | undefined;
    connection.addEventListener('submit', (e) => (submitted = e));
    connection.querySelector('button')!.click();
    await until(async () => (await peer.messages()).length === 1, 'the message');
    expect(await peer.messages()).to.deep.equal([{ action: 'order', item: 'tea', count: 2, urgent: true, size: 'l' }]);
    expect(submitted?.defaultPrevented).to.equal(true);
    expect(location.href).to.equal(before);
  });

  it('reports a message attribute that is not JSON as a juggler-error', async () => {
    const { connection } = await connectedPage((url) => `<juggler-connection url="${url}"><juggler-send message="{oops"><button>x</button></juggler-send></juggler-connection>`);
    const error = new Promise<JugglerErrorEvent>((resolve) => connection.addEventListener('juggler-error', resolve, { once: true }));
    connection.querySelector('button')!.click();
    expect((await error).code).to.equal('invalid-value');
  });
});

describe('<juggler-status>', () => {
  it('shows the status in a live region and follows the connection', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" reconnect-delay="50"><juggler-status label-open="Live"></juggler-status></juggler-connection>`,
    );
    const status = connection.querySelector('juggler-status')!;
    const label = () => status.shadowRoot!.querySelector('[part=label]')!.textContent;
    expect(label()).to.equal('Live');
    expect(status.getAttribute('status')).to.equal('open');
    await peer.stop();
    await until(() => label() === 'Reconnecting…', 'reconnecting');
    await peer.restart();
    await until(() => label() === 'Live', 'open again');
    const dot = status.shadowRoot!.querySelector('[part=indicator]')!;
    expect(getComputedStyle(dot).backgroundColor).to.equal('rgb(45, 164, 78)');
    status.style.setProperty('--juggler-status-open-color', 'rgb(1, 2, 3)');
    expect(getComputedStyle(dot).backgroundColor).to.equal('rgb(1, 2, 3)');
  });
});

describe('finding the connection', () => {
  it('works across shadow roots and slots', async () => {
    class Card extends HTMLElement {
      connectedCallback() {
        this.attachShadow({ mode: 'open' }).innerHTML = '<div><slot></slot><juggler-bind path="/inside"></juggler-bind></div>';
      }
    }
    customElements.define('test-card', Card);
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><test-card><juggler-bind path="/slotted"></juggler-bind></test-card></juggler-connection>`,
    );
    await peer.set('', { inside: 'in the shadow root', slotted: 'slotted' });
    const card = connection.querySelector('test-card')!;
    await until(() => texts(card.shadowRoot!, 'juggler-bind')[0] === 'in the shadow root', 'the bind in the shadow root');
    await until(() => texts(card, 'juggler-bind')[0] === 'slotted', 'the slotted bind');
  });

  it('works when the binds are in the page before the connection element is defined', async () => {
    const peer = await TestPeer.start();
    await peer.set('/late', 'found it');
    const container = fixture(`<late-connection url="${peer.url}"><juggler-bind path="/late"></juggler-bind></late-connection>`);
    const { JugglerConnection } = await import('../../src/elements/juggler-connection/juggler-connection.js');
    customElements.define('late-connection', class extends JugglerConnection {});
    await until(() => texts(container.parentElement!, 'juggler-bind')[0] === 'found it', 'the bind to find its late connection');
  });
});

describe('JugglerController', () => {
  it('re-renders a Lit component when its path changes and writes local data', async () => {
    class TestGauge extends LitElement {
      load = new JugglerController<number>(this, { path: '/load' });
      override render() {
        return html`<span>${this.load.value ?? '–'}</span> <span class="status">${this.load.status}</span>`;
      }
    }
    customElements.define('test-gauge', TestGauge);
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><test-gauge></test-gauge></juggler-connection>`);
    const gauge = connection.querySelector('test-gauge') as TestGauge;
    await gauge.updateComplete;
    expect(gauge.shadowRoot!.querySelector('.status')!.textContent).to.equal('open');
    await peer.set('/load', 42);
    await until(() => gauge.shadowRoot!.querySelector('span')!.textContent === '42', 'the value');
    gauge.load.write(7);
    await until(async () => JSON.stringify(await peer.remote()) === '{"load":7}', 'the write at the server');
  });

  it('sends a write that repeats the last one: a button pressed twice acts twice', async () => {
    class ResetButton extends LitElement {
      load = new JugglerController<number>(this, { path: '/load' });
      override render() {
        return html`<button @click=${() => this.load.write(0, '/request/load')}>reset</button>`;
      }
    }
    customElements.define('reset-button', ResetButton);
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><reset-button></reset-button></juggler-connection>`);
    await peer.playBackEnd();
    const button = connection.querySelector('reset-button') as ResetButton;
    await button.updateComplete;
    button.shadowRoot!.querySelector('button')!.click();
    await until(async () => (await peer.requests()).length === 1, 'the first reset at the back-end');
    button.shadowRoot!.querySelector('button')!.click();
    await until(async () => (await peer.requests()).length === 2, 'the second reset at the back-end');
  });
});
