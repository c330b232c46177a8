/**
 * What a peer's values can do to `<juggler-bind>`: whatever JSON it sends, one
 * bind's trouble never leaves the others stale.
 */
import { expect } from 'chai';
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
});
