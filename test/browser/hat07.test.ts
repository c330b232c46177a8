import { expect } from 'chai';
import '../../src/elements/define.js';
import '../../src/dialects/hat-0.7/index.js';
import { JugglerError } from '../../src/core/errors.js';
import type { JugglerChangeEvent, JugglerErrorEvent } from '../../src/core/events.js';
import { JugglerNotifyEvent } from '../../src/dialects/hat-0.7/events.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { cleanUp, fixture, typeInto } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);

/** A server of the hat-0.7 dialect and a page holding `markup` around a <juggler-connection dialect="hat-0.7"> to it, once open. */
async function hatPage(markup: (url: string) => string): Promise<{ peer: TestPeer; connection: JugglerConnection; root: HTMLElement }> {
  const peer = await TestPeer.start({ dialect: 'hat-0.7' });
  const root = fixture<HTMLElement>(`<div>${markup(peer.url)}</div>`);
  const connection = root.querySelector('juggler-connection')!;
  await until(() => connection.status === 'open', 'the connection to open');
  return { peer, connection, root };
}

describe('<juggler-connection dialect="hat-0.7"> on a Node server of that dialect', () => {
  it('shows the server’s state through binds and lists, as remote data and juggler-change', async () => {
    const { peer, connection, root } = await hatPage(
      (url) => `<juggler-connection url="${url}" dialect="hat-0.7">
        <p>Count: <juggler-bind path="/count">none</juggler-bind></p>
        <juggler-list path="/rows" key="/id"><ul><template><li><juggler-bind path="/name"></juggler-bind></li></template></ul></juggler-list>
      </juggler-connection>`,
    );
    const changes: JugglerChangeEvent[] = [];
    root.addEventListener('juggler-change', (e) => changes.push(e as JugglerChangeEvent));
    await peer.set('', { count: 1, rows: [{ id: 1, name: 'pump' }] });
    await until(() => root.querySelector('p')!.textContent === 'Count: 1', 'the count');
    expect([...root.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['pump']);
    await peer.set('/rows/-', { id: 2, name: 'fan é' });
    await until(() => root.querySelectorAll('li').length === 2, 'the second row');
    expect(root.querySelectorAll('li')[1].textContent).to.equal('fan é');
    expect(connection.remoteData).to.deep.equal({ count: 1, rows: [{ id: 1, name: 'pump' }, { id: 2, name: 'fan é' }] });
    expect(changes.map((e) => e.paths)).to.deep.equal([[''], ['/rows/1']]);
  });

  it('fires juggler-notify, bubbling and composed, with name and data', async () => {
    const { peer, root } = await hatPage((url) => `<juggler-connection url="${url}" dialect="hat-0.7"></juggler-connection>`);
    const heard = new Promise<JugglerNotifyEvent>((resolve) => document.addEventListener('juggler-notify', resolve, { once: true }));
    await peer.notify('alarm', { level: 2 });
    const event = await heard;
    expect(event).to.be.instanceOf(JugglerNotifyEvent);
    expect(event.target).to.equal(root.querySelector('juggler-connection'));
    expect([event.bubbles, event.composed, event.name, event.data]).to.deep.equal([true, true, 'alarm', { level: 2 }]);
  });

  it('calls the server with call(name, [data]), and call("") waits for the state changes before it', async () => {
    const { peer, connection } = await hatPage((url) => `<juggler-connection url="${url}" dialect="hat-0.7"></juggler-connection>`);
    await peer.handle('echo', 'echo');
    await peer.handle('fail', 'fail');
    expect(await connection.call('echo', [{ text: '<b>é</b>' }])).to.deep.equal([{ text: '<b>é</b>' }]);
    let failed: unknown;
    await connection.call('fail', [7]).catch((error: unknown) => (failed = error));
    expect(failed).to.be.instanceOf(JugglerError);
    expect((failed as JugglerError).message).to.equal('failed with [7]');
    await peer.set('/step', 3);
    expect(await connection.call('', ['mark'])).to.equal('mark');
    expect(connection.remoteData).to.deep.equal({ step: 3 });
  });

  it('has no local data: writes throw not-supported, and a bound control reports it instead of writing nowhere', async () => {
    const { peer, connection, root } = await hatPage(
      (url) => `<juggler-connection url="${url}" dialect="hat-0.7"><juggler-bind path="/name"><input></juggler-bind></juggler-connection>`,
    );
    for (const write of [() => connection.setAt('/a', 1), () => connection.insertAt('/a', 1), () => connection.removeAt('/a'), () => (connection.localData = {})]) {
      expect(write).to.throw(JugglerError, /hat-0\.7 dialect has no local data/);
    }
    const errors: JugglerErrorEvent[] = [];
    root.addEventListener('juggler-error', (e) => {
      e.preventDefault();
      errors.push(e as JugglerErrorEvent);
    });
    typeInto(root.querySelector('input')!, 'x');
    expect(errors.map((e) => e.code)).to.deep.equal(['not-supported']);
    expect(connection.localData).to.equal(null);
    expect(await peer.errors()).to.deep.equal([]);
  });

  it('a dialect no module registered: juggler-error saying so, and no socket', async () => {
    const peer = await TestPeer.start({ dialect: 'hat-0.7' });
    const heard = new Promise<JugglerErrorEvent>((resolve) => document.addEventListener('juggler-error', (e) => { e.preventDefault(); resolve(e as JugglerErrorEvent); }, { once: true }));
    const connection = fixture<JugglerConnection>(`<juggler-connection url="${peer.url}" dialect="hat-0.9"></juggler-connection>`);
    const error = await heard;
    expect([error.code, error.message]).to.deep.equal(['connect-failed', 'cannot connect: dialect="hat-0.9" is not loaded']);
    await until(() => connection.status === 'closed', 'the element to give up');
    expect(await peer.handshakes()).to.deep.equal([]);
  });
});
