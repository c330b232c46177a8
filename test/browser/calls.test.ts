import { expect } from 'chai';
import '../../src/elements/juggler-connection/juggler-connection-define.js';
import { JugglerError } from '../../src/core/errors.js';
import type { JugglerMessageEvent } from '../../src/core/events.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { cleanUp, connectedPage, fixture } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);

async function rejection(promise: Promise<unknown>): Promise<JugglerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(JugglerError);
    return error as JugglerError;
  }
  throw new Error('the call succeeded');
}

describe('calls through <juggler-connection> in Chromium', () => {
  it('calls the Node peer and gets its results and failures', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"></juggler-connection>`);
    await peer.handle('sum', 'sum');
    await peer.handle('later', 'later');
    await peer.handle('fail', 'fail');
    expect(await connection.call('sum', [1, 2, 39])).to.equal(42);
    expect(await connection.call('later', [{ text: '<b>é</b>' }])).to.deep.equal({ text: '<b>é</b>' });
    const failed = await rejection(connection.call('fail', [7]));
    expect(failed.code).to.equal('call-failed');
    expect(failed.message).to.equal('failed with [7]');
    const unknown = await rejection(connection.call('nothing'));
    expect(unknown.message).to.equal('unknown action "nothing"');
  });

  it('answers the Node peer\'s calls with handlers of the page; calls never show as juggler-message', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"></juggler-connection>`);
    const messages: unknown[] = [];
    connection.addEventListener('juggler-message', (e) => messages.push((e as JugglerMessageEvent).payload));
    connection.handle('greet', (name) => `hello ${name as string}`);
    const remove = connection.handle('title', async () => document.title || 'untitled');
    connection.handle('broken', () => {
      throw new TypeError('the page cannot');
    });
    expect(await peer.call('greet', ['server'])).to.deep.equal({ result: 'hello server' });
    expect((await peer.call('title')).result).to.be.a('string');
    expect(await peer.call('broken')).to.deep.equal({ error: { code: 'call-failed', message: 'the page cannot' } });
    remove();
    expect(await peer.call('title')).to.deep.equal({ error: { code: 'call-failed', message: 'unknown action "title"' } });
    await peer.send('a plain message');
    await until(() => messages.length === 1, 'the plain message');
    expect(messages).to.deep.equal(['a plain message']);
  });

  it('a call made before the connection opens goes out once it does', async () => {
    const peer = await TestPeer.start();
    await peer.handle('echo', 'echo');
    const connection = fixture<JugglerConnection>(`<juggler-connection url="${peer.url}" delay="0"></juggler-connection>`);
    expect(connection.status).to.not.equal('open');
    expect(await connection.call('echo', ['early'])).to.deep.equal(['early']);
  });
});
