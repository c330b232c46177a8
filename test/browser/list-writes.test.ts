/** Writes from inside `<juggler-list>` items reach the item the user meant, even when the list changes. */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/elements/define.js';
import { cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

describe('writes inside a keyed <juggler-list>', () => {
  it('over remote data, go to local data under the item’s key, so a list reordered before the write still gets the right item', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="0"><juggler-list path="/rows" key="/id">
        <template><div><juggler-bind class="name" path="/name"></juggler-bind>
          <juggler-bind path="/qty" write-path="/qty"><input type="number"></juggler-bind>
          <juggler-bind class="mine" path="/qty" source="local"></juggler-bind></div></template>
      </juggler-list></juggler-connection>`,
    );
    await peer.set('/rows', [
      { id: 'a', name: 'apples', qty: 1 },
      { id: 'b', name: 'bananas', qty: 2 },
    ]);
    await until(() => connection.querySelectorAll('input').length === 2, 'two rows');
    const bananas = connection.querySelectorAll('input')[1];
    bananas.focus();
    bananas.select();
    // The back-end puts a new item first while the user is in the bananas' field.
    await peer.set('/rows', [
      { id: 'c', name: 'cherries', qty: 0 },
      { id: 'a', name: 'apples', qty: 1 },
      { id: 'b', name: 'bananas', qty: 2 },
    ]);
    await until(() => connection.querySelectorAll('input').length === 3, 'three rows');
    await sendKeys({ type: '5' });
    await until(async () => JSON.stringify(await peer.remote()) === '{"rows":{"b":{"qty":5}}}', 'the write under the key');
    const row = bananas.closest('div')!;
    expect(row.querySelector('.name')!.textContent).to.equal('bananas');
    expect(row.querySelector('.mine')!.textContent).to.equal('5', 'local reads inside the item read under its key too');
  });

  it('over local data, go to the item where it is now', async () => {
    const { connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/todo" key="/id" source="local">
        <template><label><juggler-bind path="/done"><input type="checkbox"></juggler-bind> <juggler-bind path="/text"></juggler-bind></label></template>
      </juggler-list></juggler-connection>`,
    );
    connection.localData = { todo: [{ id: 1, text: 'one', done: false }, { id: 2, text: 'two', done: false }] };
    await until(() => connection.querySelectorAll('input').length === 2, 'two items');
    const two = connection.querySelectorAll('input')[1];
    connection.insertAt('/todo/0', { id: 0, text: 'zero', done: false });
    two.click();
    expect(connection.localData).to.deep.equal({
      todo: [{ id: 0, text: 'zero', done: false }, { id: 1, text: 'one', done: false }, { id: 2, text: 'two', done: true }],
    });
  });

  it('from <juggler-send>, adds the item’s key to the payload with key-as', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-list path="/rows" key="/id">
        <template><juggler-send message='{"action":"delete"}' key-as="id"><button>Delete</button></juggler-send></template>
      </juggler-list></juggler-connection>`,
    );
    await peer.set('/rows', [{ id: 'a' }, { id: 'b' }]);
    await until(() => connection.querySelectorAll('button').length === 2, 'two rows');
    connection.querySelectorAll('button')[1].click();
    await until(async () => (await peer.messages()).length === 1, 'the message');
    expect(await peer.messages()).to.deep.equal([{ action: 'delete', id: 'b' }]);
  });
});
