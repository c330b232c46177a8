/**
 * Mistakes are loud while developing (logged once, naming the element) unless
 * the page handles `juggler-error` itself; a connection that cannot be made
 * says why, and `<juggler-status>` shows it.
 */
import { expect } from 'chai';
import '../../src/elements/define.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { cleanUp, connectedPage, fixture } from './fixture.js';
import { TestPeer, forcedColors, until } from './peer-control.js';

/** What the console was given, while a test runs. */
const logged: { level: string; text: string }[] = [];
const original = { error: console.error, warn: console.warn };
beforeEach(() => {
  logged.length = 0;
  console.error = (...args: unknown[]) => void logged.push({ level: 'error', text: String(args[0]) });
  console.warn = (...args: unknown[]) => void logged.push({ level: 'warn', text: String(args[0]) });
});
afterEach(() => {
  Object.assign(console, original);
  cleanUp();
});

describe('errors nothing listens for', () => {
  it('are logged once per element and cause, naming the element, the code and the reason', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind path="counter"></juggler-bind>
        <juggler-send message="{oops"><button>Send</button></juggler-send></juggler-connection>`,
    );
    await peer.set('/counter', 1);
    await peer.set('/counter', 2);
    const button = connection.querySelector('button')!;
    button.click();
    button.click();
    expect(logged).to.deep.equal([
      { level: 'error', text: '<juggler-bind path="counter">: JSON Pointer "counter" must start with "/" (invalid-path)' },
      { level: 'error', text: '<juggler-send message="{oops">: the message attribute is not JSON: {oops (invalid-value)' },
    ]);
  });

  it('warn about attribute values they do not know, and fall back to the default', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}" delay="fast"><juggler-bind path="/x" source="remot"></juggler-bind></juggler-connection>`,
    );
    await peer.set('/x', 'shown from remote data');
    await until(() => connection.querySelector('juggler-bind')!.textContent === 'shown from remote data', 'the value');
    expect(logged).to.deep.equal([
      { level: 'warn', text: `<juggler-connection url="${connection.getAttribute('url')}" delay="fast">: delay="fast" is not a number of ms or "manual"; 100 is used (invalid-value)` },
      { level: 'warn', text: '<juggler-bind path="/x" source="remot">: source="remot" is not "remote" or "local"; ignored (invalid-value)' },
    ]);
  });

  it('report an element outside any connection once the page has loaded', async () => {
    const bind = fixture('<juggler-bind path="/lost">fallback</juggler-bind>');
    const event = new Promise<Event & { code?: string }>((resolve) => bind.addEventListener('juggler-error', resolve, { once: true }));
    expect((await event).code).to.equal('not-open');
    expect(logged).to.deep.equal([{ level: 'error', text: '<juggler-bind path="/lost">: no <juggler-connection> around this element (not-open)' }]);
  });

  it('stay off the console when a listener cancels them', async () => {
    const seen: string[] = [];
    document.addEventListener('juggler-error', (event) => {
      seen.push((event as Event & { code: string }).code);
      event.preventDefault();
    }, { once: true });
    await connectedPage((url) => `<juggler-connection url="${url}"><juggler-bind path="oops"></juggler-bind></juggler-connection>`);
    expect(seen).to.deep.equal(['invalid-path']);
    expect(logged).to.deep.equal([]);
  });
});

describe('a connection that cannot be made', () => {
  for (const [what, address] of [
    ['refused', (peer: TestPeer) => peer.url],
    ['answered with 404', (peer: TestPeer) => peer.url.replace(/\/ws$/, '/nowhere')],
  ] as const) {
    it(`says why when ${what}, in lastError, the status and the console`, async () => {
      const peer = await TestPeer.start();
      if (what === 'refused') await peer.stop();
      const connection = fixture<JugglerConnection>(
        `<juggler-connection url="${address(peer)}?token=secret" reconnect-delay="50"><juggler-status></juggler-status></juggler-connection>`,
      );
      const status = connection.querySelector('juggler-status')!;
      const reason = () => status.shadowRoot!.querySelector('[part=reason]')!.textContent;
      await until(() => connection.lastError !== undefined, 'a reason');
      const where = address(peer);
      expect(connection.lastError!.code).to.equal('connect-failed');
      expect(connection.lastError!.message).to.contain(`cannot reach ${where}: the server refused or did not answer (close 1006)`);
      expect(connection.lastError!.message).not.to.contain('secret');
      await until(() => reason() === connection.lastError!.message, 'the reason in the status');
      expect(status.getAttribute('title')).to.equal(connection.lastError!.message);
      expect(status.shadowRoot!.querySelector('[part=label]')!.textContent).to.equal('Connecting…');
      await until(() => logged.length > 0, 'the log');
      expect(logged[0].text).to.contain(`<juggler-connection url="${where}?token=secret"`);
      if (what === 'refused') {
        await peer.restart();
        await until(() => connection.status === 'open', 'the connection once the server is back');
        expect([connection.lastError, reason(), status.hasAttribute('title')]).to.deep.equal([undefined, '', false]);
      }
    });
  }
});

describe('<juggler-connection> params and protocols', () => {
  it('are evaluated on every connect, so a function can hand out a fresh token', async () => {
    const peer = await TestPeer.start();
    const connection = document.createElement('juggler-connection');
    let tokens = 0;
    let versions = 0;
    connection.params = () => ({ token: `t${++tokens}` });
    connection.protocols = async () => ['juggler', `v${++versions}`];
    connection.setAttribute('url', peer.url);
    connection.setAttribute('reconnect-delay', '20');
    fixture('<div></div>').append(connection);
    await until(() => connection.status === 'open', 'the first connection');
    await peer.drop();
    await until(async () => (await peer.handshakes()).length === 2 && connection.status === 'open', 'the second connection');
    expect((await peer.handshakes()).map(({ url, protocols }) => `${url} ${protocols}`)).to.deep.equal(['/ws?token=t1 juggler, v1', '/ws?token=t2 juggler, v2']);
  });
});

describe('<juggler-connection> params set before the tag is defined', () => {
  it('are used all the same', async () => {
    const peer = await TestPeer.start();
    const connection = fixture(`<early-params-connection url="${peer.url}"></early-params-connection>`) as HTMLElement & { params: unknown };
    connection.params = () => ({ token: 'early' });
    const { JugglerConnection } = await import('../../src/elements/juggler-connection/juggler-connection.js');
    customElements.define('early-params-connection', class extends JugglerConnection {});
    await until(async () => (await peer.handshakes()).length === 1, 'the connection');
    expect((await peer.handshakes())[0].url).to.equal('/ws?token=early');
  });
});

describe('<juggler-status>', () => {
  it('keeps a visible dot in forced-colors mode, and tells the states apart by shape', async () => {
    const { connection } = await connectedPage((url) => `<juggler-connection url="${url}"><juggler-status></juggler-status></juggler-connection>`);
    const dot = connection.querySelector('juggler-status')!.shadowRoot!.querySelector('[part=indicator]')!;
    await forcedColors('active');
    try {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      const style = getComputedStyle(dot);
      expect(style.borderRadius).to.equal('50%', 'open is a round dot');
      expect(style.backgroundColor).not.to.equal('rgba(0, 0, 0, 0)');
      expect(style.backgroundColor).not.to.equal(getComputedStyle(document.body).backgroundColor, 'a dot of the page’s own color is invisible');
      expect(parseFloat(style.borderTopWidth)).to.be.greaterThan(0);
      connection.close();
      expect(getComputedStyle(dot).borderRadius).not.to.equal('50%', 'closed is a square, not a dot');
    } finally {
      await forcedColors('none');
    }
  });

  it('with announce="changes", does not announce the first connection, and announces the changes after it', async () => {
    const peer = await TestPeer.start();
    const connection = fixture<JugglerConnection>(`<juggler-connection url="${peer.url}" reconnect-delay="50"><juggler-status announce="changes"></juggler-status></juggler-connection>`);
    const status = connection.querySelector('juggler-status')!;
    expect(status.getAttribute('aria-live')).to.equal('off');
    await until(() => connection.status === 'open', 'open');
    expect(status.getAttribute('aria-live')).to.equal('off', 'the first "Connected" is not announced');
    await peer.drop();
    await until(() => status.getAttribute('status') === 'reconnecting', 'reconnecting');
    expect(status.getAttribute('aria-live')).to.equal(null, 'from then on, the live region is polite again');
  });
});
