import { expect } from 'chai';
import '../../src/elements/define.js';
import type { JugglerStatusEvent } from '../../src/core/events.js';
import { cleanUp, connectedPage, countMutations, fixture, typeInto } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);


const shown = (bind: Element) => bind.textContent;
const remoteEquals = (peer: TestPeer, json: string) => async () => JSON.stringify(await peer.remote()) === json;

describe('<juggler-bind> shows remote values', () => {
  it('renders as text, never as HTML, with its own content while the value is missing', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}">
        <p><juggler-bind path="/name">no name yet</juggler-bind></p>
        <p><juggler-bind path="/html"></juggler-bind></p>
        <p><juggler-bind path="/obj"></juggler-bind></p>
      </juggler-connection>`,
    );
    const [name, html, obj] = connection.querySelectorAll('juggler-bind');
    expect(shown(name)).to.equal('no name yet', 'the fallback shows while the value is missing');
    await peer.set('/name', 'Ada');
    await peer.set('/html', '<img src=x onerror="window.hacked=1">');
    await peer.set('/obj', { a: [1, true] });
    await until(() => shown(name) === 'Ada' && shown(obj) !== '', 'the values');
    expect(shown(html)).to.equal('<img src=x onerror="window.hacked=1">');
    expect(html.querySelector('img')).to.equal(null, 'strings are text, never HTML');
    expect((window as { hacked?: number }).hacked).to.equal(undefined);
    expect(shown(obj)).to.equal('{"a":[1,true]}');
    await peer.set('/name', null);
    await until(() => shown(name) === 'no name yet', 'the fallback back for null');
  });

  it('re-renders only the binds whose path a patch touches: the path, its ancestors and descendants', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}">
        <juggler-bind id="ab" path="/a/b"></juggler-bind>
        <juggler-bind id="a" path="/a"></juggler-bind>
        <juggler-bind id="abc" path="/a/b/c"></juggler-bind>
        <juggler-bind id="ax" path="/a/x"></juggler-bind>
        <juggler-bind id="other" path="/other"></juggler-bind>
      </juggler-connection>`,
    );
    await peer.set('', { a: { b: { c: 1 }, x: 1 }, other: 1 });
    const binds = Object.fromEntries([...connection.querySelectorAll('juggler-bind')].map((bind) => [bind.id, bind]));
    await until(() => shown(binds.other) === '1', 'the first render');
    const renders = Object.fromEntries(Object.entries(binds).map(([id, bind]) => [id, countMutations(bind)]));
    await peer.set('/a/b/c', 2);
    await until(() => shown(binds.abc) === '2', 'the touched bind');
    expect(Object.fromEntries(Object.entries(renders).map(([id, r]) => [id, r.count > 0]))).to.deep.equal({
      ab: true,
      a: true,
      abc: true,
      ax: false,
      other: false,
    });
  });

  it('binds a property or an attribute of its child', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}">
        <juggler-bind path="/load" property="value"><meter min="0" max="100"></meter></juggler-bind>
        <juggler-bind path="/busy" attribute="data-busy"><div></div></juggler-bind>
      </juggler-connection>`,
    );
    await peer.set('', { load: 42, busy: true });
    const meter = connection.querySelector('meter')!;
    const div = connection.querySelector('div')!;
    await until(() => meter.value === 42, 'the meter');
    expect(div.getAttribute('data-busy')).to.equal('');
    await peer.set('/busy', false);
    await until(() => !div.hasAttribute('data-busy'), 'the attribute to go');
  });

  it('hands a changed array to a property as a new array, so identity checks see it', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind path="/samples" property="samples"><div></div></juggler-bind></juggler-connection>`,
    );
    const target = connection.querySelector('div') as HTMLDivElement & { samples?: number[] };
    await peer.set('/samples', [1, 2, 3]);
    await until(() => target.samples?.length === 3, 'the samples');
    const first = target.samples;
    await peer.set('/samples/-', 4);
    await until(() => target.samples?.length === 4, 'the appended sample');
    expect(target.samples).to.not.equal(first);
    expect(first).to.deep.equal([1, 2, 3], 'what was handed over before is not changed under the component');
  });

  it('shows numbers with a fixed number of digits when asked', async () => {
    const { connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind path="/n" source="local" digits="2"></juggler-bind></juggler-connection>`,
    );
    connection.setAt('/n', 76);
    expect(shown(connection.querySelector('juggler-bind')!)).to.equal('76.00');
    connection.setAt('/n', 3.14159);
    expect(shown(connection.querySelector('juggler-bind')!)).to.equal('3.14');
  });

  it('reads local data with source="local"', async () => {
    const { connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind path="/draft" source="local"></juggler-bind></juggler-connection>`,
    );
    connection.setAt('/draft', 'mine');
    expect(shown(connection.querySelector('juggler-bind')!)).to.equal('mine');
  });
});

describe('<juggler-bind> with form controls', () => {
  it('writes what the user types into local data, coalesced by the delay, and the server receives it', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="150">
        <juggler-bind path="/name"><input type="text"></juggler-bind>
      </juggler-connection>`,
    );
    const input = connection.querySelector('input')!;
    for (const text of ['A', 'Ad', 'Ada']) typeInto(input, text);
    expect(connection.localData).to.deep.equal({ name: 'Ada' });
    await until(remoteEquals(peer, '{"name":"Ada"}'), 'the server to receive the text');
  });

  it('writes numbers from number and range inputs, booleans from checkboxes, and the chosen radio and option', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="0">
        <juggler-bind path="/n"><input type="number"></juggler-bind>
        <juggler-bind path="/r"><input type="range" min="0" max="10"></juggler-bind>
        <juggler-bind path="/c"><input type="checkbox"></juggler-bind>
        <juggler-bind path="/mode"><input type="radio" name="m" value="auto"><input type="radio" name="m" value="manual"></juggler-bind>
        <juggler-bind path="/s"><select><option>a</option><option>b</option></select></juggler-bind>
        <juggler-bind path="/t"><textarea></textarea></juggler-bind>
      </juggler-connection>`,
    );
    typeInto(connection.querySelector('input[type=number]')!, '12.5');
    typeInto(connection.querySelector('input[type=range]')!, '7');
    connection.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    connection.querySelector<HTMLInputElement>('input[value=manual]')!.click();
    const select = connection.querySelector('select')!;
    select.value = 'b';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    typeInto(connection.querySelector('textarea')!, 'line 1\nline 2');
    await until(remoteEquals(peer, '{"n":12.5,"r":7,"c":true,"mode":"manual","s":"b","t":"line 1\\nline 2"}'), 'every value at the server');
  });

  it('shows remote values in controls, but never overwrites the one the user is focused on', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}">
        <juggler-bind path="/text"><input id="focused" type="text"></juggler-bind>
        <juggler-bind path="/flag"><input type="checkbox"></juggler-bind>
        <button>elsewhere</button>
      </juggler-connection>`,
    );
    const input = connection.querySelector<HTMLInputElement>('#focused')!;
    const box = connection.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    await peer.set('', { text: 'from server', flag: true });
    await until(() => input.value === 'from server' && box.checked, 'the controls');
    typeInto(input, 'my draft');
    await peer.set('/text', 'server again');
    await peer.set('/flag', false);
    await until(() => !box.checked, 'the unfocused control to follow');
    expect(input.value).to.equal('my draft', 'the focused input keeps what the user typed');
    connection.querySelector('button')!.focus();
    expect(input.value).to.equal('server again', 'it catches up when focus leaves');
  });

  it('finds form-associated custom elements and inputs inside their shadow roots through composedPath()', async () => {
    class FancyInput extends HTMLElement {
      static formAssociated = true;
      value: unknown = null;
      connectedCallback() {
        this.attachShadow({ mode: 'open' }).innerHTML = '<input>';
        this.shadowRoot!.querySelector('input')!.addEventListener('input', (e) => {
          this.value = (e.target as HTMLInputElement).value.toUpperCase();
        });
      }
    }
    customElements.define('fancy-input', FancyInput);
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="0"><juggler-bind path="/shout"><fancy-input></fancy-input></juggler-bind></juggler-connection>`,
    );
    const fancy = connection.querySelector('fancy-input') as FancyInput;
    fancy.value = 'HI';
    fancy.dispatchEvent(new Event('change', { bubbles: true }));
    await until(remoteEquals(peer, '{"shout":"HI"}'), 'the custom element value');
    await peer.set('/other', 1);
    const inner = fancy.shadowRoot!.querySelector('input')!;
    typeInto(inner, 'quiet');
    await until(remoteEquals(peer, '{"shout":"QUIET"}'), "the custom element's own value, nearest to the bind on the event's path");
  });
});

describe('<juggler-connection>', () => {
  it('shows its status as an attribute, a custom state and events, following a server that goes away and comes back', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" reconnect-delay="50"></juggler-connection>`);
    const seen: string[] = [];
    document.addEventListener('juggler-status', (e: JugglerStatusEvent) => seen.push(e.status));
    expect(connection.getAttribute('status')).to.equal('open');
    expect(connection.matches(':state(open)')).to.equal(true);
    await peer.stop();
    await until(() => connection.getAttribute('status') === 'reconnecting', 'reconnecting');
    expect(connection.matches(':state(reconnecting)')).to.equal(true);
    expect(connection.matches(':state(open)')).to.equal(false);
    await peer.restart();
    await until(() => connection.matches(':state(open)'), 'open again');
    expect(seen).to.deep.equal(['reconnecting', 'open'], 'the events bubble to the document');
  });

  it('fires juggler-change and juggler-message, bubbling and composed', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"></juggler-connection>`);
    const host = connection.parentElement!;
    const events: string[] = [];
    host.addEventListener('juggler-change', (e) => events.push(`change ${e.paths.join()}`));
    host.addEventListener('juggler-message', (e) => events.push(`message ${JSON.stringify(e.payload)}`));
    await peer.set('/x', 1);
    await peer.send({ hello: true });
    await until(() => events.length === 2, 'two events');
    expect(events).to.deep.equal(['change ', 'message {"hello":true}']);
  });

  it('closes its socket when removed from the page, and keeps it when merely moved', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"></juggler-connection>`);
    const elsewhere = fixture('<section></section>');
    elsewhere.append(connection);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connection.status).to.equal('open');
    expect(await peer.connections()).to.equal(1);
    connection.remove();
    await until(() => connection.status === 'closed', 'closed');
    await until(async () => (await peer.connections()) === 0, 'the server to see it go');
  });

  it('reconnects to the new address when url changes', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"></juggler-connection>`);
    const second = await TestPeer.start();
    connection.setAttribute('url', second.url);
    await until(async () => (await second.connections()) === 1 && (await peer.connections()) === 0, 'the move to the second server');
  });

  it('does no work in its constructor: safe to create without a document', () => {
    const connection = document.createElement('juggler-connection');
    expect(connection.status).to.equal('closed');
    expect(connection.shadowRoot).to.equal(null);
    expect(connection.attributes.length).to.equal(0);
  });
});
