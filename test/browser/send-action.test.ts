/** `<juggler-send action>`: a call instead of a message, busy until the Node peer answers. */
import { expect } from 'chai';
import '../../src/elements/define.js';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import type { JugglerResultEvent } from '../../src/elements/events.js';
import type { JugglerSend } from '../../src/elements/juggler-send/juggler-send.js';
import { nextEvent } from '../support/wait.js';
import { cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

const pending = (send: JugglerSend) => send.matches(':state(pending)');

describe('<juggler-send action>', () => {
  it('calls the action with [payload], is busy until the answer, then fires juggler-result', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send action="ping" message='{"from":"page"}' pending-text="Waiting…">
        <button><b>Ping</b> it</button></juggler-send></juggler-connection>`,
    );
    await peer.handle('ping', 'held');
    const send = connection.querySelector('juggler-send')!;
    const button = send.querySelector('button')!;
    const bold = button.querySelector('b');
    const result = nextEvent<JugglerResultEvent>(document, 'juggler-result');
    button.click();
    expect(pending(send), ':state(pending)').to.equal(true);
    expect(button.disabled).to.equal(true);
    expect(button.textContent).to.equal('Waiting…');
    // A slow handler: the element stays busy, and clicks meanwhile make no second call.
    await until(async () => (await peer.held()) === 1, 'the call to reach the peer');
    button.click();
    send.click();
    expect(await peer.held()).to.equal(1);
    expect(pending(send)).to.equal(true);
    expect(await peer.release()).to.equal(1);
    const event = await result;
    expect(event.result).to.deep.equal({ from: 'page' });
    expect(event.target).to.equal(send);
    expect([event.bubbles, event.composed]).to.deep.equal([true, true]);
    expect(pending(send)).to.equal(false);
    expect(button.disabled).to.equal(false);
    expect(button.innerHTML).to.equal('<b>Ping</b> it');
    expect(button.querySelector('b')).to.equal(bold, 'the label is put back as it was, node for node');
    expect(await peer.messages()).to.deep.equal([], 'no plain message was sent');
  });

  it('sends form fields merged into the message as the one argument, and leaves disabled buttons disabled', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send action="order" message='{"kind":"tea"}'><form>
        <input name="count" type="number" value="2"><button>Order</button><button type="button" disabled>Other</button></form></juggler-send></juggler-connection>`,
    );
    await peer.handle('order', 'echo');
    const result = nextEvent<JugglerResultEvent>(connection, 'juggler-result');
    connection.querySelector('button')!.click();
    expect((await result).result).to.deep.equal([{ kind: 'tea', count: 2 }]);
    expect(connection.querySelector<HTMLButtonElement>('button[disabled]')!.textContent).to.equal('Other');
    expect([...connection.querySelectorAll('button')].map((button) => button.disabled)).to.deep.equal([false, true]);
  });

  it('fires juggler-error with the call\'s error when the handler fails, and is usable again', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send action="broken" message='"x"'><button>Go</button></juggler-send></juggler-connection>`,
    );
    await peer.handle('broken', 'fail');
    const send = connection.querySelector('juggler-send')!;
    const error = nextEvent<JugglerErrorEvent>(send, 'juggler-error');
    send.addEventListener('juggler-error', (event) => event.preventDefault());
    send.querySelector('button')!.click();
    expect(pending(send)).to.equal(true);
    const event = await error;
    expect([event.code, event.message]).to.deep.equal(['call-failed', 'failed with ["x"]']);
    expect([event.bubbles, event.composed]).to.deep.equal([true, true]);
    expect(pending(send)).to.equal(false);
    expect(send.querySelector('button')!.disabled).to.equal(false);
    const unknown = nextEvent<JugglerErrorEvent>(send, 'juggler-error');
    send.setAttribute('action', 'nothing');
    send.send();
    expect((await unknown).message).to.equal('unknown action "nothing"');
  });

  it('as a button itself, says it is disabled while pending', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send action="ping" message="1">Ping</juggler-send></juggler-connection>`,
    );
    await peer.handle('ping', 'held');
    const send = connection.querySelector('juggler-send')!;
    send.click();
    expect(send.getAttribute('aria-disabled')).to.equal('true');
    await until(async () => (await peer.held()) === 1, 'the call to reach the peer');
    const result = nextEvent<JugglerResultEvent>(send, 'juggler-result');
    await peer.release();
    expect((await result).result).to.equal(1);
    expect(send.hasAttribute('aria-disabled')).to.equal(false);
  });
});
