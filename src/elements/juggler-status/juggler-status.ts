import type { ConnectionStatus } from '../../core/events.js';
import type { JugglerConnection } from '../juggler-connection/juggler-connection.js';
import { ScopeConsumer } from '../scope-consumer.js';
import { defineElement, defaultRegistry } from '../define-element.js';
import { ElementBase } from '../element-base.js';

const defaultLabels: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

// The status reads without color too: a filled dot when open, a ring while
// (re)connecting, a square when closed. In forced-colors mode (Windows high
// contrast) the dot keeps its shape in system colors instead of vanishing.
const dot = ' [part=indicator]{';
const styles =
  ':host{display:inline-flex;align-items:center;gap:.4em}' +
  `${dot}--c:var(--juggler-status-closed-color,#8a8f98);box-sizing:border-box;flex:none;width:var(--juggler-status-size,.6em);` +
  'height:var(--juggler-status-size,.6em);border-radius:50%;border:.12em solid var(--c);background:var(--c)}' +
  // `$=connecting`: connecting and reconnecting.
  `:host([status$=connecting])${dot}--c:var(--juggler-status-reconnecting-color,#d29922);background:none}` +
  `:host([status=open])${dot}--c:var(--juggler-status-open-color,#2da44e)}` +
  `:host([status=closed])${dot}border-radius:.1em}` +
  '[part=reason]{font-size:.85em}[part=reason]:empty{display:none}' +
  `@media (forced-colors:active){${dot}forced-color-adjust:none;--c:GrayText}` +
  `:host([status=open])${dot}--c:Highlight}:host([status$=connecting])${dot}--c:CanvasText}}`;

/**
 * A small, accessible indicator of the nearest connection's status: a dot and
 * a label in a live region, so screen readers hear when the connection drops
 * and comes back, and, while it is not open, why (`reason`).
 *
 * @summary Shows the connection status.
 * @tag juggler-status
 * @attr {'connecting' | 'open' | 'reconnecting' | 'closed'} status - Reflects the status (read-only).
 * @attr {string} [label-connecting=Connecting…] - Text while connecting (default "Connecting…").
 * @attr {string} [label-open=Connected] - Text while connected (default "Connected").
 * @attr {string} [label-reconnecting=Reconnecting…] - Text while reconnecting (default "Reconnecting…").
 * @attr {string} [label-closed=Offline] - Text while closed (default "Offline").
 * @attr {'changes'} announce - `changes`: do not announce the first connection, only the changes after it.
 * @csspart indicator - The dot (a ring while connecting, a square when closed).
 * @csspart label - The text.
 * @csspart reason - Why the connection is not open (the connection's `lastError`), empty otherwise; also the element's `title`.
 * @cssprop --juggler-status-open-color - Dot color when connected.
 * @cssprop --juggler-status-reconnecting-color - Dot color while connecting or reconnecting.
 * @cssprop --juggler-status-closed-color - Dot color when closed.
 * @cssprop --juggler-status-size - Dot size.
 */
export class JugglerStatus extends ElementBase {
  /**
   * Registers the class as `tag` (default `juggler-status`) in `registry` (default: the page's).
   * Calling it again does nothing; a tag taken by another class throws.
   */
  static define(tag = 'juggler-status', registry: CustomElementRegistry | undefined = defaultRegistry()): void {
    defineElement(this, tag, registry);
  }

  readonly #consumer = new ScopeConsumer(this, () => this.#follow());
  #connection: JugglerConnection | undefined;
  #label: HTMLElement | undefined;
  #reason: HTMLElement | undefined;
  #seenOpen = false;

  connectedCallback(): void {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${styles}</style><span part="indicator"></span><span part="label"></span><span part="reason"></span>`;
      [, , this.#label, this.#reason] = root.children as unknown as HTMLElement[];
      const internals = this.attachInternals();
      internals.role = 'status';
      internals.ariaLive = 'polite';
    }
    this.#consumer.connect();
    this.#show();
  }

  disconnectedCallback(): void {
    this.#consumer.disconnect();
  }

  #follow(): void {
    for (const type of ['juggler-status', 'juggler-error']) {
      this.#connection?.removeEventListener(type, this.#onChange);
      this.#consumer.scope?.connection.addEventListener(type, this.#onChange);
    }
    this.#connection = this.#consumer.scope?.connection;
    this.#show();
  }

  #onChange = (event: Event): void => {
    if (event.target === this.#connection) this.#show();
  };

  #show(): void {
    const status = this.#connection?.status ?? 'closed';
    // announce="changes": the live region is off until the first connection has been shown, so
    // a page load is silent and only later drops and returns are heard.
    if (this.getAttribute('announce') === 'changes' && !this.#seenOpen) this.setAttribute('aria-live', 'off');
    else if (this.getAttribute('aria-live') === 'off') this.removeAttribute('aria-live');
    if (status === 'open') this.#seenOpen = true;
    this.setAttribute('status', status);
    const reason = status === 'open' ? '' : (this.#connection?.lastError?.message ?? '');
    if (reason) this.title = reason;
    else this.removeAttribute('title');
    if (!this.#label) return;
    this.#label.textContent = this.getAttribute(`label-${status}`) ?? defaultLabels[status];
    this.#reason!.textContent = reason;
  }
}
