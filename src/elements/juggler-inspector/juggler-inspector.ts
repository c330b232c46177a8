import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { JugglerClient } from '../../client/juggler-client.js';
import type { JugglerStatusEvent } from '../../core/events.js';
import type { DataSource } from '../context.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import type { JugglerConnection } from '../juggler-connection/juggler-connection.js';
import { ScopeConsumer } from '../scope-consumer.js';
import { ChangeMarks, highlightMs } from './change-marks.js';
import { ConnectionStats } from './connection-stats.js';
import { JugglerCopyEvent } from './copy-event.js';
import { renderTree, type TreeView } from './data-tree.js';
import { summarize } from './frame-summary.js';
import { inspectorStyles } from './inspector-styles.js';
import { TrafficLog, type LogEntry, type LogFilter } from './traffic-log.js';

/** Frame types the log can be filtered to. */
const frameTypes = ['DATA', 'MESSAGE', 'PING', 'PONG'];
/** Status changes shown, newest first (more are kept in `ConnectionStats`). */
const shownHistory = 12;

/**
 * A developer's view of a `<juggler-connection>`: its remote and local data as
 * a collapsible tree (values that just changed are highlighted; a key copies
 * its JSON Pointer), the frames in and out (type, size, operations, time) in a
 * bounded log that can be paused, cleared and filtered, and the connection's
 * status history, reconnects, round-trip time and traffic per second.
 *
 * It attaches to the connection named by `for` (an id, looked up in the same
 * document or shadow root), else to the nearest one around it. It sees frames
 * through the client's `tap` (set while attached, restored when it leaves) and
 * data changes through the same path subscriptions as the other elements.
 *
 * Not part of the default bundle: import `juggler-elements/inspector`, or load
 * `/juggler-inspector.js` from the command's server, only when it is wanted.
 * It renders at most once per animation frame, whatever the traffic; the log
 * keeps at most `max-entries` frames, each cut to its first 200 characters.
 *
 * @summary A live view of a connection's data, traffic and health, for development.
 * @tag juggler-inspector
 * @attr {string} for - The id of the `<juggler-connection>` to inspect; without it, the nearest one around the inspector.
 * @attr {number} [max-entries=500] - Frames the log keeps; older ones are dropped as new ones come.
 * @fires {JugglerCopyEvent} juggler-copy - A JSON Pointer was copied to the clipboard (`pointer`, `source`).
 * @csspart stats - The connection's figures and status history.
 * @csspart data - The data trees.
 * @csspart traffic - The frame log and its controls.
 * @cssprop [--juggler-inspector-height=260px] - Height of the data tree and of the log before they scroll.
 * @cssprop --juggler-inspector-changed - Background of a value that just changed.
 */
export class JugglerInspector extends LitElement {
  /**
   * Registers the class as `tag` (default `juggler-inspector`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-inspector', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  static override styles = inspectorStyles;
  static override properties = {
    htmlFor: { attribute: 'for' },
    maxEntries: { attribute: 'max-entries', type: Number },
  };

  /** The id of the connection to inspect (the `for` attribute). */
  declare htmlFor: string;
  /** Frames the log keeps (the `max-entries` attribute). */
  declare maxEntries: number;

  readonly #consumer = new ScopeConsumer(this, (scope) => this.#attach(scope?.connection));
  readonly #log = new TrafficLog(500);
  readonly #marks = new ChangeMarks();
  readonly #expanded = new Set<string>(['remote', 'local']);
  #stats = new ConnectionStats();
  #filter: LogFilter = { type: '', text: '' };
  #connection: JugglerConnection | undefined;
  #detach: (() => void) | undefined;
  /** A short line about the last copy. */
  #note = '';
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    // Set here, not as class fields: a field defined on the instance would hide Lit's accessor where fields have define semantics.
    this.htmlFor = '';
    this.maxEntries = 500;
  }

  /** The connection inspected now, if any. */
  get connection(): JugglerConnection | undefined {
    return this.#connection;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#consumer.disconnect();
    this.#attach(undefined);
  }

  /**
   * Renders in the next animation frame rather than the next microtask: a
   * hundred frames a second still cost one render per display frame (none
   * while the page is hidden), whatever number of changes came in between.
   */
  protected override async scheduleUpdate(): Promise<void> {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('maxEntries')) this.#log.max = Number.isFinite(this.maxEntries) && this.maxEntries >= 0 ? this.maxEntries : 500;
    if (changed.has('htmlFor') && changed.get('htmlFor') !== undefined && this.isConnected) this.#follow();
  }

  /** Attaches to the connection `for` names, or to the nearest one. */
  #follow(): void {
    this.#consumer.disconnect();
    if (!this.htmlFor) return this.#consumer.connect();
    const root = this.getRootNode() as Document | ShadowRoot;
    const target = root.getElementById?.(this.htmlFor) ?? this.ownerDocument.getElementById(this.htmlFor);
    const upgraded = target !== null && 'subscribe' in target;
    if (target && !upgraded) {
      // Not upgraded yet: its definition may still be loading.
      void customElements.whenDefined(target.localName).then(() => this.isConnected && this.#follow());
    }
    this.#attach(upgraded ? (target as JugglerConnection) : undefined);
  }

  #attach(connection: JugglerConnection | undefined): void {
    if (connection === this.#connection) return;
    this.#detach?.();
    this.#detach = undefined;
    this.#connection = connection;
    this.#stats = new ConnectionStats();
    this.#log.clear();
    this.requestUpdate();
    if (!connection) return;
    const client = connection.client;
    const untap = tapFrames(client, (direction, frame) => {
      const now = performance.now();
      const { summary, rpc } = summarize(direction, frame);
      this.#stats.frame(summary, rpc, now);
      this.#log.add(summary, now);
      this.requestUpdate();
    });
    const onStatus = (event: JugglerStatusEvent) => {
      if (event.target !== connection) return;
      this.#stats.status(event.status, event.previous);
      this.requestUpdate();
    };
    connection.addEventListener('juggler-status', onStatus);
    this.#stats.status(connection.status, undefined);
    const unsubscribe = (['remote', 'local'] as const).map((source) =>
      connection.subscribe('', (paths) => this.#changed(source, paths), source),
    );
    // The rates fall to zero when the traffic stops: look again each second.
    const ticker = setInterval(() => this.requestUpdate(), 1000);
    this.#detach = () => {
      untap();
      connection.removeEventListener('juggler-status', onStatus);
      for (const stop of unsubscribe) stop();
      clearInterval(ticker);
    };
  }

  #changed(source: DataSource, paths: readonly string[]): void {
    this.#marks.mark(source, paths, performance.now());
    this.requestUpdate();
  }

  readonly #treeView: TreeView = {
    isOpen: (source, pointer) => this.#expanded.has(`${source}${pointer}`),
    isChanged: (source, pointer) => this.#marks.isChanged(source, pointer, performance.now()),
  };

  protected override render(): unknown {
    const connection = this.#connection;
    // Take off the highlights that are over, and come back when the others are.
    if (this.#marks.prune(performance.now())) {
      this.#highlightTimer ??= setTimeout(() => {
        this.#highlightTimer = undefined;
        this.requestUpdate();
      }, highlightMs / 4);
    }
    return html`<header>
        <strong>Juggler inspector</strong>
        <span class="note" role="status">${this.#note}</span>
        ${connection ? nothing : html`<span>${this.htmlFor ? `no <juggler-connection id="${this.htmlFor}">` : 'no <juggler-connection>'}</span>`}
      </header>
      ${connection ? [this.#renderStats(connection), this.#renderData(connection), this.#renderTraffic()] : nothing}`;
  }

  #renderStats(connection: JugglerConnection): unknown {
    const stats = this.#stats;
    const rate = stats.rate(performance.now());
    const client = connection.client;
    const rtt = stats.rtt ? `${stats.rtt.ms.toFixed(1)} ms (${stats.rtt.from})` : '–';
    return html`<section part="stats" aria-label="Connection">
      <dl>
        <div><dt>status</dt><dd class="status">${connection.status}</dd></div>
        <div><dt>reconnects</dt><dd class="reconnects">${stats.reconnects}</dd></div>
        <div><dt>round trip</dt><dd class="rtt">${rtt}</dd></div>
        <div><dt>per second</dt><dd class="rate">${rate.frames} frames, ${formatBytes(rate.bytes)}</dd></div>
        <div><dt>in</dt><dd class="in">${stats.total.in.frames} frames, ${formatBytes(stats.total.in.bytes)}</dd></div>
        <div><dt>out</dt><dd class="out">${stats.total.out.frames} frames, ${formatBytes(stats.total.out.bytes)}</dd></div>
        <div><dt>queued</dt><dd>${client.queuedMessages}</dd></div>
        <div><dt>calls waiting</dt><dd>${client.pendingCalls}</dd></div>
      </dl>
      ${connection.lastError ? html`<p class="error">${connection.lastError.message}</p>` : nothing}
      <ol class="history" aria-label="Status history, newest first" reversed>
        ${stats.history
          .slice(-shownHistory)
          .reverse()
          .map(({ status, at }) => html`<li title=${new Date(at).toLocaleString()}>${status} ${clock(at)}</li>`)}
      </ol>
    </section>`;
  }

  #renderData(connection: JugglerConnection): unknown {
    return html`<section part="data" aria-label="Data">
      <div class="data" @click=${this.#onTreeClick}>
        ${renderTree('remote', connection.remoteData, this.#treeView)} ${renderTree('local', connection.localData, this.#treeView)}
      </div>
    </section>`;
  }

  #renderTraffic(): unknown {
    const log = this.#log;
    const shown = log.filtered(this.#filter);
    return html`<section part="traffic" aria-label="Traffic">
      <div class="toolbar">
        <button class="pause" aria-pressed=${String(log.paused)} @click=${this.#togglePause}>${log.paused ? 'Resume' : 'Pause'}</button>
        <button class="clear" @click=${this.#clear}>Clear</button>
        <select class="type" aria-label="Frame type" @change=${this.#onType}>
          <option value="">all types</option>
          ${frameTypes.map((type) => html`<option .selected=${this.#filter.type === type}>${type}</option>`)}
        </select>
        <input class="text" type="search" placeholder="filter" aria-label="Text in the frame" @input=${this.#onText} />
        <span class="count">${shown.length} of ${log.entries.length} frames (at most ${log.max})</span>
      </div>
      <div class="log">
        <table>
          <thead>
            <tr><th>time</th><th></th><th>type</th><th>bytes</th><th>ops</th><th>frame</th></tr>
          </thead>
          <tbody>
            ${repeat(
              [...shown].reverse(),
              (entry) => entry.id,
              (entry) => renderEntry(entry),
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  #onTreeClick = (event: MouseEvent): void => {
    const button = (event.target as Element).closest('button');
    const item = button?.closest<HTMLElement>('li[data-pointer]');
    if (!button || !item) return;
    const source = item.dataset.source as DataSource;
    const pointer = item.dataset.pointer!;
    if (button.classList.contains('key')) return void this.#copy(source, pointer);
    const key = `${source}${pointer}`;
    if (!this.#expanded.delete(key)) this.#expanded.add(key);
    this.requestUpdate();
  };

  async #copy(source: DataSource, pointer: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(pointer);
    } catch (error) {
      this.#note = `could not copy ${pointer}: ${(error as Error).message}`;
      return this.requestUpdate();
    }
    this.#note = `copied ${pointer || '"" (the whole document)'}`;
    this.requestUpdate();
    this.dispatchEvent(new JugglerCopyEvent(pointer, source));
  }

  #togglePause = (): void => {
    this.#log.paused = !this.#log.paused;
    this.requestUpdate();
  };

  #clear = (): void => {
    this.#log.clear();
    this.requestUpdate();
  };

  #onType = (event: Event): void => {
    this.#filter = { ...this.#filter, type: (event.target as HTMLSelectElement).value };
    this.requestUpdate();
  };

  #onText = (event: Event): void => {
    this.#filter = { ...this.#filter, text: (event.target as HTMLInputElement).value };
    this.requestUpdate();
  };
}

function renderEntry(entry: LogEntry): unknown {
  return html`<tr class=${entry.direction}>
    <td>${clock(performance.timeOrigin + entry.time)}</td>
    <td class="direction" title=${entry.direction === 'in' ? 'received' : 'sent'}>${entry.direction === 'in' ? '↓' : '↑'}</td>
    <td class="type">${entry.call ? `${entry.type} ${entry.call}` : entry.type}</td>
    <td class="number bytes">${entry.bytes}</td>
    <td class="number ops">${entry.ops ?? ''}</td>
    <td class="frame" title=${entry.preview}>${entry.preview}</td>
  </tr>`;
}

/**
 * Puts `listener` on the client's frame tap, before any tap already there
 * (which still gets every frame); returns what takes it off again. When
 * another tap went on after it, it stays in the chain as a pass-through.
 */
function tapFrames(client: JugglerClient, listener: NonNullable<JugglerClient['tap']>): () => void {
  const previous = client.tap;
  let on = true;
  const tap: JugglerClient['tap'] = (direction, frame) => {
    if (on) listener(direction, frame);
    previous?.(direction, frame);
  };
  client.tap = tap;
  return () => {
    on = false;
    if (client.tap === tap) client.tap = previous;
  };
}

/** `14:03:07.250`: local time with milliseconds, from a `Date.now()`-style time. */
function clock(at: number): string {
  const date = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function formatBytes(bytes: number): string {
  return bytes < 10_000 ? `${bytes} B` : bytes < 10_000_000 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
