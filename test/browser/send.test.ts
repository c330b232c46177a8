/** `<juggler-send>` acts as people expect of a button, driven with real mouse and keyboard input. */
import { expect } from 'chai';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../src/elements/define.js';
import { cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

afterEach(async () => {
  cleanUp();
  await resetMouse();
});

/** Clicks the middle of an element with the real mouse. */
async function click(element: Element, clicks = 1): Promise<void> {
  const box = element.getBoundingClientRect();
  const position: [number, number] = [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)];
  for (let i = 0; i < clicks; i++) await sendMouse({ type: 'click', position });
}

/** Time, not an event, ends the window in which a second activation counts as a double click. */
const pastDoubleActivationWindow = () => new Promise((resolve) => setTimeout(resolve, 350));

describe('<juggler-send> as a button', () => {
  it('acts on its button, not on text beside it, and sends the button’s name and value', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='{"action":"vote"}' style="display:block">
        <p>Read this first</p><button name="choice" value="yes">Yes</button></juggler-send></juggler-connection>`,
    );
    await click(connection.querySelector('p')!);
    await click(connection.querySelector('button')!);
    await until(async () => (await peer.messages()).length >= 1, 'the message');
    expect(await peer.messages()).to.deep.equal([{ action: 'vote', choice: 'yes' }]);
  });

  it('sends the pressed submitter of a form, and resets the form with `reset`', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='{"action":"order"}' reset><form>
        <input name="item" value="tea"><button name="size" value="large">Large</button></form></juggler-send></juggler-connection>`,
    );
    const input = connection.querySelector('input')!;
    input.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ type: ' please' });
    await sendKeys({ press: 'Enter' });
    await until(async () => (await peer.messages()).length === 1, 'the message');
    expect(await peer.messages()).to.deep.equal([{ action: 'order', item: 'tea please', size: 'large' }]);
    expect(input.value).to.equal('tea', 'the form was reset');
  });

  it('is a focusable button itself when it holds no button: Enter and Space send', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><button id="before">before</button><juggler-send message='"ping"'>Ping</juggler-send></juggler-connection>`,
    );
    const send = connection.querySelector('juggler-send')!;
    expect([send.getAttribute('role'), send.tabIndex]).to.deep.equal(['button', 0]);
    connection.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.equal(send);
    await sendKeys({ press: 'Enter' });
    await until(async () => (await peer.messages()).length === 1, 'the first message');
    await pastDoubleActivationWindow();
    await sendKeys({ press: 'Space' });
    await until(async () => (await peer.messages()).length === 2, 'the second message');
    await pastDoubleActivationWindow();
    await click(send);
    await until(async () => (await peer.messages()).length === 3, 'the clicked message');
  });

  it('sends once for a double click', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='"once"'><button>Go</button></juggler-send><juggler-send message='"after"'><button>After</button></juggler-send></juggler-connection>`,
    );
    const [go, after] = connection.querySelectorAll('button');
    await click(go, 2);
    await click(after);
    await until(async () => (await peer.messages()).includes('after'), 'the later message');
    expect(await peer.messages()).to.deep.equal(['once', 'after']);
  });

  it('does nothing while disabled, and then is not focusable', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='"no"' disabled><button>No</button></juggler-send><juggler-send message='"bare"' disabled>Bare</juggler-send><juggler-send message='"yes"'><button>Yes</button></juggler-send></juggler-connection>`,
    );
    const [no, bare, yes] = connection.querySelectorAll('juggler-send');
    await click(no.querySelector('button')!);
    await click(bare);
    expect([bare.tabIndex, bare.getAttribute('aria-disabled')]).to.deep.equal([-1, 'true']);
    await click(yes.querySelector('button')!);
    await until(async () => (await peer.messages()).length >= 1, 'a message');
    expect(await peer.messages()).to.deep.equal(['yes']);
  });

  it('fires a cancelable juggler-before-send whose payload a listener may change, then juggler-sent', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-send message='{"n":1}'><button>Send</button></juggler-send></juggler-connection>`,
    );
    const seen: string[] = [];
    let cancel = true;
    connection.addEventListener('juggler-before-send', (event) => {
      const e = event as Event & { payload: unknown };
      seen.push(`before ${JSON.stringify(e.payload)} ${event.bubbles} ${event.composed} ${event.cancelable}`);
      if (cancel) event.preventDefault();
      else e.payload = { n: 2, token: 'abc' };
    });
    connection.addEventListener('juggler-sent', (event) => seen.push(`sent ${JSON.stringify((event as Event & { payload: unknown }).payload)}`));
    const button = connection.querySelector('button')!;
    await click(button);
    cancel = false;
    await pastDoubleActivationWindow();
    await click(button);
    await until(async () => (await peer.messages()).length === 1, 'the message');
    expect(await peer.messages()).to.deep.equal([{ n: 2, token: 'abc' }]);
    expect(seen).to.deep.equal(['before {"n":1} true true true', 'before {"n":1} true true true', 'sent {"n":2,"token":"abc"}']);
  });
});
