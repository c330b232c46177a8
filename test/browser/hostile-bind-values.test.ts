/**
 * What a peer's values can do to `<juggler-bind>`: whatever JSON it sends, one
 * bind's trouble never leaves the others stale, and a string never becomes
 * script or markup in the page.
 */
import { expect } from 'chai';
import type { JugglerErrorEvent } from '../../src/core/events.js';
import '../../src/elements/define.js';
import { cleanUp, connectedPage } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

/**
 * Collects the errors thrown to the window while it is on. Listening in the capture
 * phase runs before the test framework's `onerror`, which would fail the test for them.
 */
function catchWindowErrors() {
  const errors: unknown[] = [];
  const listener = (event: ErrorEvent) => {
    errors.push(event.error);
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  window.addEventListener('error', listener, true);
  return { errors, stop: () => window.removeEventListener('error', listener, true) };
}

describe('<juggler-bind> and hostile values', () => {
  it('a value that cannot be made a string at a radio bind leaves the other binds of the patch updated', async () => {
    const windowErrors = catchWindowErrors();
    try {
      const { peer, connection } = await connectedPage(
        (url) => `<juggler-connection url="${url}">
          <juggler-bind path="/mode"><input type="radio" name="m" value="a"><input type="radio" name="m" value="b"></juggler-bind>
          <juggler-bind path="/tags"><select multiple><option>x</option><option>y</option></select></juggler-bind>
          <p>Temperature: <juggler-bind id="temperature" path="/temperature">–</juggler-bind></p>
        </juggler-connection>`,
      );
      await peer.setJson('', '{"mode": {"toString": 1}, "tags": [{"toString": 1}, "y"], "temperature": 21.5}');
      const temperature = connection.querySelector('#temperature')!;
      await until(() => temperature.textContent === '21.5', 'the temperature to show');
      const radios = [...connection.querySelectorAll<HTMLInputElement>('input[type=radio]')];
      expect(radios.map((radio) => radio.checked)).to.deep.equal([false, false]);
      expect([...connection.querySelector('select')!.selectedOptions].map((option) => option.value)).to.deep.equal(['y']);
      expect(windowErrors.errors).to.deep.equal([]);
    } finally {
      windowErrors.stop();
    }
  });

  it('sets a link’s href to a web address, never to a javascript: one, and says so', async () => {
    const { peer, connection } = await connectedPage(
      (url) => `<juggler-connection url="${url}"><juggler-bind path="/docs" attribute="href"><a>Manual</a></juggler-bind></juggler-connection>`,
    );
    const link = connection.querySelector('a')!;
    const errors: string[] = [];
    connection.addEventListener('juggler-error', (event) => {
      errors.push((event as JugglerErrorEvent).code);
      event.preventDefault();
    });
    await peer.set('/docs', 'https://example.com/manual');
    await until(() => link.getAttribute('href') === 'https://example.com/manual', 'the web address to be set');
    await peer.set('/docs', 'javascript:document.title="script ran"');
    await until(() => errors.length === 1, 'the refusal to be reported');
    expect(link.hasAttribute('href'), 'the javascript: address is not set, and the old one is gone').to.equal(false);
    await peer.set('/docs', ' JaVa\tScRiPt:document.title="script ran"');
    await until(() => errors.length === 2, 'the disguised address to be refused');
    expect(link.hasAttribute('href')).to.equal(false);
    await peer.set('/docs', 'manual.html#start');
    await until(() => link.getAttribute('href') === 'manual.html#start', 'a relative address to be set');
    expect(errors).to.deep.equal(['invalid-value', 'invalid-value']);
  });

  it('sets nothing through an event handler attribute or innerHTML, and says so', async () => {
    const errors = new Set<string>();
    const listener = (event: Event) => {
      errors.add((event as JugglerErrorEvent).message);
      event.preventDefault();
    };
    document.addEventListener('juggler-error', listener);
    try {
      const { peer, connection } = await connectedPage(
        (url) => `<juggler-connection url="${url}">
          <juggler-bind path="/script" attribute="onclick"><button>Go</button></juggler-bind>
          <juggler-bind path="/script" property="innerHTML"><div id="content">kept</div></juggler-bind>
          <juggler-bind id="shown" path="/script"></juggler-bind>
        </juggler-connection>`,
      );
      await peer.set('/script', '<img src=x onerror="document.title=1">');
      await until(() => connection.querySelector('#shown')!.textContent!.startsWith('<img'), 'the value to arrive');
      expect(connection.querySelector('button')!.hasAttribute('onclick')).to.equal(false);
      expect(connection.querySelector('#content')!.innerHTML).to.equal('kept');
      expect([...errors].sort()).to.deep.equal(['innerHTML refused: bound values are data', 'onclick refused: bound values are data']);
    } finally {
      document.removeEventListener('juggler-error', listener);
    }
  });
});
