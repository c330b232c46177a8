import { expect } from 'chai';
import '../../src/elements/define.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { cleanUp, connectedPage, fixture, typeInto } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);

const texts = (root: ParentNode, selector: string) =>
  [...root.querySelectorAll(selector)].map((bind) => bind.textContent);

describe('<juggler-list> edge cases', () => {
  it('sees an item removed in the same patch that edits another item', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/rows"><template><p><juggler-bind path="/name"></juggler-bind></p></template></juggler-list></juggler-connection>`,
    );
    await peer.set('/rows', [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    await until(() => texts(connection, 'p juggler-bind').join() === 'a,b,c', 'three rows');
    await peer.raw('{"type":"DATA","payload":[{"op":"replace","path":"/rows/0/name","value":"A"},{"op":"remove","path":"/rows/1"}]}');
    await until(() => texts(connection, 'p juggler-bind').join() === 'A,c', 'two rows, the first renamed');
  });

  it('rebuilds its rows when moved to another connection', async () => {
    const first = await TestPeer.start();
    const second = await TestPeer.start();
    await first.set('/rows', ['from the first']);
    await second.set('/rows', ['from the second']);
    const page = fixture(`<div>
      <juggler-connection id="one" url="${first.url}"><juggler-list path="/rows"><template><juggler-bind path=""></juggler-bind></template></juggler-list></juggler-connection>
      <juggler-connection id="two" url="${second.url}"></juggler-connection></div>`);
    const list = page.querySelector('juggler-list')!;
    await until(() => texts(list, 'juggler-bind').join() === 'from the first', 'the first connection’s row');
    page.querySelector('#two')!.append(list);
    await until(() => texts(list, 'juggler-bind').join() === 'from the second', 'the second connection’s row');
  });

  it('with source="local", its rows read local data too', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/rows" source="local"><template><juggler-bind path="/name"></juggler-bind></template></juggler-list></juggler-connection>`,
    );
    await peer.set('/rows', [{ name: 'remote name' }]);
    connection.setAt('/rows', [{ name: 'local name' }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(texts(connection, 'juggler-list juggler-bind')).to.deep.equal(['local name']);
  });

  it('rebuilds its rows when its source changes', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/rows" item-key="/id"><template><juggler-bind path="/name"></juggler-bind></template></juggler-list></juggler-connection>`,
    );
    await peer.set('/rows', [{ id: 1, name: 'remote' }]);
    connection.setAt('/rows', [{ id: 1, name: 'local' }]);
    await until(() => texts(connection, 'juggler-list juggler-bind').join() === 'remote', 'the remote row');
    connection.querySelector('juggler-list')!.setAttribute('source', 'local');
    await until(() => texts(connection, 'juggler-list juggler-bind').join() === 'local', 'the local row');
  });

  it('takes item-key, which frameworks leave alone, and templates whose children a framework appended directly', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}"><juggler-list path="/rows" item-key="/id"></juggler-list></juggler-connection>`);
    const template = document.createElement('template');
    const row = document.createElement('p');
    row.append(Object.assign(document.createElement('juggler-bind'), { path: '/name' }));
    template.append(row);
    connection.querySelector('juggler-list')!.append(template);
    await peer.set('/rows', [{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
    // The template's own children are live DOM here (as a framework leaves them): count the copies only.
    await until(() => texts(connection, 'juggler-list > p juggler-bind').join() === 'one,two', 'two rows');
    const second = connection.querySelectorAll('juggler-list > p')[1];
    await peer.set('/rows', [{ id: 2, name: 'two' }]);
    await until(() => connection.querySelectorAll('juggler-list > p').length === 1, 'one row');
    expect(connection.querySelector('juggler-list > p')).to.equal(second, 'kept by item-key');
  });
});

describe('<juggler-bind> edge cases', () => {
  it('fills an input inside a plain component’s shadow root, and one added later', async () => {
    class PlainField extends HTMLElement {
      connectedCallback() {
        this.attachShadow({ mode: 'open' }).innerHTML = '<input>';
      }
    }
    customElements.define('plain-field', PlainField);
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}">
        <juggler-bind id="wrapped" path="/text"><plain-field></plain-field></juggler-bind>
        <juggler-bind id="late" path="/text"></juggler-bind>
      </juggler-connection>`,
    );
    await peer.set('/text', 'hello');
    const inner = connection.querySelector('plain-field')!.shadowRoot!.querySelector('input')!;
    await until(() => inner.value === 'hello', 'the wrapped input');
    expect(getComputedStyle(connection.querySelector('plain-field')!).display).to.not.equal('none');
    const late = document.createElement('input');
    connection.querySelector('#late')!.append(late);
    await until(() => late.value === 'hello', 'the input added later');
  });

  it('leaves the controls of a nested bind to it', async () => {
    const { connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="0"><juggler-bind path="/outer"><div><juggler-bind path="/inner"><input></juggler-bind></div></juggler-bind></juggler-connection>`,
    );
    typeInto(connection.querySelector('input')!, 'typed');
    expect(connection.localData).to.deep.equal({ inner: 'typed' });
  });
});

describe('<juggler-connection> edge cases', () => {
  it('connects again when put back in the page after close()', async () => {
    const { connection } = await connectedPage((url) => `<juggler-connection url="${url}"></juggler-connection>`);
    const parent = connection.parentElement!;
    connection.close();
    expect(connection.status).to.equal('closed');
    connection.remove();
    await new Promise((resolve) => setTimeout(resolve, 20));
    parent.append(connection);
    await until(() => (connection as JugglerConnection).status === 'open', 'open again');
  });
});
