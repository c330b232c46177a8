/**
 * Bound controls in the README's write-path pattern, with two pages on one
 * real Node peer that plays the back-end: a page asks by writing
 * `/request/<name>` in its local data; the back-end applies the request to the
 * shared `/<name>` or refuses it. Each `<juggler-connection>` here has its own
 * client and socket, so the peer sees two pages.
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/elements/define.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { cleanUp, fixture, typeInto } from './fixture.js';
import { TestPeer, until } from './peer-control.js';

afterEach(cleanUp);

const shown = (bind: Element) => bind.textContent;

/** Two pages on one back-end, each with the same controls; `name` keeps their radio groups apart. */
async function twoPages(controls: (page: string) => string, shared: object) {
  const peer = await TestPeer.start();
  await peer.playBackEnd({ requests: 'request', maxLength: 12 });
  await peer.set('', shared);
  const page = (name: string) =>
    `<juggler-connection url="${peer.url}" delay="20" id="${name}">
      <p>mode <juggler-bind class="mode" path="/mode"></juggler-bind></p>
      ${controls(name)}
      <button>elsewhere</button>
    </juggler-connection>`;
  const root = fixture(`<div>${page('a')}${page('b')}</div>`);
  const [a, b] = root.querySelectorAll<JugglerConnection>('juggler-connection');
  await until(() => a.status === 'open' && b.status === 'open', 'both pages to connect');
  await until(async () => (await peer.connections()) === 2, 'the peer to see two pages');
  return { peer, a, b };
}

/** Leaves the control as a user does: focus moves to something else. */
function moveFocusAway(page: Element): void {
  page.querySelector('button')!.focus();
}

describe('<juggler-bind> with a write path: a request to the back-end', () => {
  it('a select sends the option chosen again after another page changed it, and shows the shared value', async () => {
    const { a, b } = await twoPages(
      () => `<juggler-bind path="/mode" write-path="/request/mode">
        <select><option value="auto">Automatic</option><option value="manual">Manual</option><option value="eco">Eco</option></select>
      </juggler-bind>`,
      { mode: 'auto' },
    );
    const select = (page: Element) => page.querySelector('select')!;
    const mode = (page: Element) => shown(page.querySelector('.mode')!);
    /** Chooses an option from the keyboard, as a user does: focus, then type its first letter. */
    const choose = async (page: Element, letter: string) => {
      select(page).focus();
      await sendKeys({ press: letter });
    };
    await until(() => select(a).value === 'auto' && select(b).value === 'auto', 'the shared value in both pages');

    await choose(a, 'm');
    await until(() => mode(b) === 'manual' && select(b).value === 'manual', 'page B to show manual');
    moveFocusAway(a);
    await choose(b, 'e');
    await until(() => mode(a) === 'eco' && select(a).value === 'eco', 'page A to show eco');
    moveFocusAway(b);

    await choose(a, 'm');
    expect(select(a).value).to.equal('manual');
    await until(() => mode(a) === 'manual' && mode(b) === 'manual' && select(b).value === 'manual', 'the choice to reach the back-end and both pages');
    moveFocusAway(a);
    expect(select(a).value).to.equal('manual', 'page A shows the shared value');
  });

  it('radios and a checkbox send a choice that repeats the page’s last write', async () => {
    const { a, b } = await twoPages(
      (page) => `<juggler-bind path="/mode" write-path="/request/mode">
          <label><input type="radio" name="mode-${page}" value="auto"> Auto</label>
          <label><input type="radio" name="mode-${page}" value="manual"> Manual</label>
        </juggler-bind>
        <juggler-bind path="/enabled" write-path="/request/enabled"><input type="checkbox"></juggler-bind>
        <juggler-bind class="enabled" path="/enabled"></juggler-bind>`,
      { mode: 'auto', enabled: false },
    );
    const radio = (page: Element, value: string) => page.querySelector<HTMLInputElement>(`input[value=${value}]`)!;
    const box = (page: Element) => page.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    const enabled = (page: Element) => shown(page.querySelector('.enabled')!);
    const mode = (page: Element) => shown(page.querySelector('.mode')!);
    /** Presses space on a control, as a user does to tick a box or choose a radio. */
    const press = async (control: HTMLInputElement) => {
      control.focus();
      await sendKeys({ press: 'Space' });
    };
    await until(() => radio(a, 'auto').checked && radio(b, 'auto').checked && enabled(a) === 'false', 'the shared values');

    await press(radio(a, 'manual'));
    await press(box(a));
    await until(() => mode(b) === 'manual' && enabled(b) === 'true' && box(b).checked, 'page B to follow page A');
    moveFocusAway(a);
    await press(radio(b, 'auto'));
    await press(box(b));
    await until(() => mode(a) === 'auto' && radio(a, 'auto').checked && enabled(a) === 'false' && !box(a).checked, 'page A to follow page B');
    moveFocusAway(b);

    await press(radio(a, 'manual'));
    await press(box(a));
    await until(() => mode(b) === 'manual' && radio(b, 'manual').checked && enabled(b) === 'true' && box(b).checked, 'page B to follow page A again');
    moveFocusAway(a);
    expect(radio(a, 'manual').checked && box(a).checked).to.equal(true, 'page A shows the shared values');
    expect([mode(a), enabled(a)]).to.deep.equal(['manual', 'true']);
  });

  it('a value the back-end refuses leaves the input when focus leaves it', async () => {
    const { peer, a, b } = await twoPages(
      () => `<juggler-bind path="/label" write-path="/request/label"><input type="text"></juggler-bind>
        <juggler-bind class="label" path="/label"></juggler-bind>`,
      { label: 'Line 1' },
    );
    const input = (page: Element) => page.querySelector('input')!;
    const label = (page: Element) => shown(page.querySelector('.label')!);
    await until(() => input(a).value === 'Line 1', 'the shared label');

    input(a).focus();
    input(a).select();
    await sendKeys({ type: 'Line 2' });
    await until(() => label(a) === 'Line 2' && label(b) === 'Line 2' && input(b).value === 'Line 2', 'an accepted label to reach both pages');
    moveFocusAway(a);

    // Pasted at once: typed key by key, its first 12 letters would be accepted on the way.
    typeInto(input(a), 'A label far too long');
    await until(async () => (await peer.requests()).includes('A label far too long'), 'the back-end to see the request');
    expect(input(a).value).to.equal('A label far too long', 'the focused input keeps what the user typed');
    moveFocusAway(a);
    expect(input(a).value).to.equal('Line 2', 'the input shows the shared label again');
    expect([label(a), label(b), input(b).value]).to.deep.equal(['Line 2', 'Line 2', 'Line 2']);
  });

  it('leaving a field does not send its text again over a newer shared value', async () => {
    const { peer, a, b } = await twoPages(
      () => `<juggler-bind path="/label" write-path="/request/label"><input type="text"></juggler-bind>`,
      { label: 'Line 1' },
    );
    const input = (page: Element) => page.querySelector('input')!;
    await until(() => input(a).value === 'Line 1', 'the shared label');
    input(a).focus();
    input(a).select();
    await sendKeys({ type: 'Mine' });
    await until(() => input(b).value === 'Mine', 'the label to reach page B');
    await peer.set('/label', 'Theirs');
    await until(() => input(b).value === 'Theirs', 'the newer label to reach page B');
    moveFocusAway(a);
    expect(a.flush()).to.equal(false, 'the change event on leaving wrote nothing new');
    expect(input(a).value).to.equal('Theirs');
  });

  it('input that went nowhere leaves the control when focus leaves it; a control bound to local data keeps it', async () => {
    const { peer, a } = await twoPages(
      () => `<juggler-bind path="/label" write-path="/request/label"><input id="request" type="text"></juggler-bind>
        <juggler-bind path="/draft" source="local"><input id="draft" type="text"></juggler-bind>`,
      { label: 'Line 1' },
    );
    const request = a.querySelector<HTMLInputElement>('#request')!;
    const draft = a.querySelector<HTMLInputElement>('#draft')!;
    await until(() => request.value === 'Line 1', 'the shared label');
    await peer.stop();
    await until(() => a.status === 'reconnecting', 'the page to notice');

    request.focus();
    await sendKeys({ type: ' offline' });
    expect(request.value).to.equal('Line 1 offline');
    draft.focus();
    expect(request.value).to.equal('Line 1', 'the input shows the last shared label again');
    await sendKeys({ type: 'my note' });
    moveFocusAway(a);
    expect(draft.value).to.equal('my note', 'what local data holds at the path');
    expect(a.localData).to.deep.equal({ request: { label: 'Line 1 offline' }, draft: 'my note' });
  });
});
