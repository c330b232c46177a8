/** `<juggler-inspector>` on a real connection to a Node peer: data, traffic, health, and what it costs. */
import { expect } from 'chai';
import '../../src/elements/define.js';
import '../../src/elements/juggler-inspector/juggler-inspector-define.js';
import type { JugglerCopyEvent } from '../../src/elements/juggler-inspector/copy-event.js';
import { JugglerInspector } from '../../src/elements/juggler-inspector/juggler-inspector.js';
import type { JugglerConnection } from '../../src/elements/juggler-connection/juggler-connection.js';
import { nextEvent } from '../support/wait.js';
import { cleanUp, connectedPage, typeInto } from './fixture.js';
import { until } from './peer-control.js';

afterEach(cleanUp);

/** Counts its renders, as Lit reports them. */
class CountingInspector extends JugglerInspector {
  renders = 0;
  protected override updated(): void {
    this.renders++;
  }
}
customElements.define('counting-inspector', CountingInspector);

const inside = (inspector: JugglerInspector, selector: string) => inspector.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
const all = (inspector: JugglerInspector, selector: string) => [...(inspector.shadowRoot?.querySelectorAll<HTMLElement>(selector) ?? [])];
const row = (inspector: JugglerInspector, source: string, pointer: string) =>
  all(inspector, `li[data-source="${source}"]`).find((item) => item.dataset.pointer === pointer) ?? null;
const valueAt = (inspector: JugglerInspector, source: string, pointer: string) =>
  row(inspector, source, pointer)?.querySelector(':scope > .row > .value')?.textContent ?? null;
const highlighted = (inspector: JugglerInspector, source: string, pointer: string) =>
  row(inspector, source, pointer)?.querySelector(':scope > .row')?.classList.contains('changed') ?? false;
const text = (inspector: JugglerInspector, selector: string) => inside(inspector, selector)?.textContent ?? '';
const logRows = (inspector: JugglerInspector) => all(inspector, 'tbody tr');
/** Frames the inspector counted in one direction. */
const framesCounted = (inspector: JugglerInspector, direction: 'in' | 'out') => Number(/^\d+/.exec(text(inspector, `dd.${direction}`))?.[0] ?? -1);

async function inspected(extra = ''): Promise<{ peer: Awaited<ReturnType<typeof connectedPage>>['peer']; connection: JugglerConnection; inspector: JugglerInspector }> {
  const { peer, connection } = await connectedPage(
    (url) => `<juggler-connection url="${url}" delay="0" ${extra}><juggler-inspector></juggler-inspector></juggler-connection>`,
  );
  const inspector = connection.querySelector('juggler-inspector')!;
  await until(() => inspector.connection === connection && inside(inspector, '[part=data]') !== null, 'the inspector to attach');
  return { peer, connection, inspector };
}

describe('<juggler-inspector>', () => {
  it('shows remote and local data as a tree that follows changes, highlighting what just changed', async () => {
    const { peer, connection, inspector } = await inspected();
    await peer.set('', { plant: { temperature: 21, name: '<img src=x onerror="window.hacked = 1">' }, list: [1, 2] });
    await until(() => valueAt(inspector, 'remote', '/plant') === '{2}', 'the remote tree');
    expect(valueAt(inspector, 'remote', '/list')).to.equal('[2]');
    expect(row(inspector, 'remote', '/plant/temperature'), 'closed nodes render no children').to.equal(null);

    row(inspector, 'remote', '/plant')!.querySelector<HTMLButtonElement>('.toggle')!.click();
    await until(() => valueAt(inspector, 'remote', '/plant/temperature') === '21', 'the opened node');
    // Strings are data: shown as JSON text, never parsed as HTML.
    expect(valueAt(inspector, 'remote', '/plant/name')).to.equal('"<img src=x onerror=\\"window.hacked = 1\\">"');
    expect(inside(inspector, 'img')).to.equal(null);

    await until(() => !highlighted(inspector, 'remote', '/plant'), 'the first highlight to end', 3000);
    await peer.set('/plant/temperature', 22);
    await until(() => valueAt(inspector, 'remote', '/plant/temperature') === '22', 'the change');
    expect(highlighted(inspector, 'remote', '/plant/temperature')).to.equal(true);
    expect(highlighted(inspector, 'remote', '/plant'), 'the parent of a change').to.equal(true);
    expect(highlighted(inspector, 'remote', '/list'), 'a value that did not change').to.equal(false);
    await until(() => !highlighted(inspector, 'remote', '/plant/temperature'), 'the highlight to end', 3000);

    connection.setAt('/mine', 'hello');
    await until(() => valueAt(inspector, 'local', '/mine') === '"hello"', 'the local tree');
    connection.setAt('/mine', 'again');
    await until(() => valueAt(inspector, 'local', '/mine') === '"again"', 'the local change');
    expect(highlighted(inspector, 'local', '/mine')).to.equal(true);
  });

  it('copies a value\'s JSON Pointer to the clipboard when its key is clicked, and says so', async () => {
    const { peer, inspector } = await inspected();
    const copied: string[] = [];
    const clipboard = navigator.clipboard as Clipboard & { writeText: (text: string) => Promise<void> };
    clipboard.writeText = async (text) => void copied.push(text);
    try {
      await peer.set('', { 'a/b': { '~x': 1 } });
      await until(() => row(inspector, 'remote', '/a~1b') !== null, 'the row');
      row(inspector, 'remote', '/a~1b')!.querySelector<HTMLButtonElement>('.toggle')!.click();
      await until(() => row(inspector, 'remote', '/a~1b/~0x') !== null, 'the opened node');
      const event = nextEvent<JugglerCopyEvent>(document, 'juggler-copy');
      row(inspector, 'remote', '/a~1b/~0x')!.querySelector<HTMLButtonElement>('.key')!.click();
      expect((await event).pointer).to.equal('/a~1b/~0x');
      expect((await event).source).to.equal('remote');
      expect(copied).to.deep.equal(['/a~1b/~0x']);
      await until(() => text(inspector, '.note') === 'copied /a~1b/~0x', 'the note');
    } finally {
      delete (clipboard as Partial<typeof clipboard>).writeText;
    }
  });

  it('keeps at most max-entries frames (500 by default) under a burst of 1,000, newest first', async () => {
    const { peer, connection, inspector } = await inspected();
    const small = document.createElement('juggler-inspector');
    small.setAttribute('max-entries', '50');
    connection.append(small);
    await until(() => small.connection === connection, 'the second inspector');
    await peer.burst('/n', 1000);
    await until(() => connection.read('/n') === 999, 'the burst');
    await until(() => framesCounted(inspector, 'in') >= 1000 && framesCounted(small, 'in') >= 1000, 'every frame counted');
    await until(() => logRows(inspector).length === 500 && logRows(small).length === 50, 'the logs to render');
    expect(text(inspector, '.count')).to.equal('500 of 500 frames (at most 500)');
    const newest = '{"type":"DATA","payload":[{"op":"add","path":"/n","value":999}]}';
    expect(logRows(inspector)[0].querySelector('.frame')!.textContent).to.equal(newest);
    expect(logRows(inspector)[499].querySelector('.frame')!.textContent).to.contain('"value":500}');
    expect(logRows(small)[49].querySelector('.frame')!.textContent).to.contain('"value":950}');
    expect(logRows(small)[0].querySelector('.ops')!.textContent).to.equal('1');
    expect(logRows(small)[0].querySelector('.bytes')!.textContent).to.equal(String(newest.length));
  });

  it('pauses, clears, and filters the log by type and by text', async () => {
    const { peer, connection, inspector } = await inspected();
    const pause = inside(inspector, 'button.pause')!;
    pause.click();
    await until(() => inside(inspector, 'button.pause')!.getAttribute('aria-pressed') === 'true', 'paused');
    const before = logRows(inspector).length;
    connection.send('while paused');
    await until(() => framesCounted(inspector, 'out') >= 1, 'the frame counted');
    expect(logRows(inspector).length).to.equal(before);
    pause.click();
    await until(() => inside(inspector, 'button.pause')!.textContent === 'Pause', 'resumed');
    connection.send('after the pause');
    await peer.set('/x', 1);
    await until(() => logRows(inspector).length === before + 2, 'the frames logged');
    expect(logRows(inspector).map((entry) => entry.querySelector('.frame')!.textContent).join()).not.to.contain('while paused');

    const type = inside(inspector, 'select.type') as HTMLSelectElement;
    type.value = 'MESSAGE';
    type.dispatchEvent(new Event('change'));
    await until(() => logRows(inspector).every((entry) => entry.querySelector('.type')!.textContent === 'MESSAGE'), 'only messages');
    expect(logRows(inspector).length).to.equal(1);
    type.value = '';
    type.dispatchEvent(new Event('change'));
    typeInto(inside(inspector, 'input.text') as HTMLInputElement, 'AFTER THE');
    await until(() => logRows(inspector).length === 1, 'the text filter');
    expect(logRows(inspector)[0].querySelector('.frame')!.textContent).to.equal('{"type":"MESSAGE","payload":"after the pause"}');
    typeInto(inside(inspector, 'input.text') as HTMLInputElement, '');

    inside(inspector, 'button.clear')!.click();
    await until(() => logRows(inspector).length === 0, 'the log cleared');
    expect(text(inspector, '.count')).to.equal('0 of 0 frames (at most 500)');
  });

  it('renders at most once per animation frame while 100 frames a second come in', async () => {
    const { peer, connection } = await connectedPage((url) => `<juggler-connection url="${url}" delay="0"><counting-inspector></counting-inspector></juggler-connection>`);
    const inspector = connection.querySelector<CountingInspector>('counting-inspector')!;
    await until(() => inspector.renders > 0, 'the first render');
    let animationFrames = 0;
    let counting = true;
    const count = () => {
      animationFrames++;
      if (counting) requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    const rendersBefore = inspector.renders;
    await peer.burst('/n', 100, 10);
    await until(() => connection.read('/n') === 99, 'the last frame');
    await until(() => framesCounted(inspector, 'in') >= 100, 'every frame counted');
    counting = false;
    const renders = inspector.renders - rendersBefore;
    expect(renders).to.be.at.most(animationFrames + 1);
    expect(renders).to.be.below(100);
  });

  it('times round trips from PING/PONG', async () => {
    const { inspector } = await inspected('ping-interval="50"');
    await until(() => /^\d+\.\d ms \(ping\)$/.test(text(inspector, 'dd.rtt')), 'a round trip from PING/PONG');
  });

  it('times round trips from calls, and keeps the status history and reconnects', async () => {
    // No PINGs here: the round trip shown is the last one timed, and a PING's would replace the call's.
    const { peer, connection, inspector } = await inspected();
    await peer.handle('echo', 'echo');
    await connection.call('echo', [1]);
    await until(() => /\(call\)$/.test(text(inspector, 'dd.rtt')), 'a round trip from a call');
    expect(text(inspector, 'dd.reconnects')).to.equal('0');
    await peer.drop();
    await until(() => text(inspector, 'dd.reconnects') === '1', 'the reconnect counted', 8000);
    const history = all(inspector, '.history li').map((item) => item.textContent!.split(' ')[0]);
    expect(history.slice(0, 3)).to.deep.equal(['open', 'reconnecting', 'open']);
    expect(text(inspector, 'dd.status')).to.equal('open');
    await until(() => /^\d+ frames, \d+ B$/.test(text(inspector, 'dd.rate')), 'the rate');
  });

  it('attaches to the connection `for` names, and takes its tap off when it leaves', async () => {
    const { connection } = await connectedPage(
      (url) => `<juggler-connection id="watched" url="${url}"></juggler-connection><juggler-inspector for="watched"></juggler-inspector>`,
    );
    const inspector = connection.parentElement!.querySelector('juggler-inspector')!;
    await until(() => inspector.connection === connection, 'the inspector to attach');
    expect(connection.client.tap).to.be.a('function');
    connection.send('seen');
    await until(() => logRows(inspector).some((entry) => entry.textContent!.includes('seen')), 'the frame logged');
    inspector.remove();
    expect(connection.client.tap).to.equal(undefined);
    expect(inspector.connection).to.equal(undefined);

    inspector.setAttribute('for', 'nothing-here');
    document.body.append(inspector);
    try {
      await until(() => text(inspector, 'header').includes('no <juggler-connection id="nothing-here">'), 'the missing connection said');
    } finally {
      inspector.remove();
    }
  });
});
