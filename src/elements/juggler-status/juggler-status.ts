import type { ConnectionStatus, JugglerStatusEvent } from '../../core/events.js';
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

const styles = `
:host { display: inline-flex; align-items: center; gap: 0.4em; }
[part=indicator] { width: var(--juggler-status-size, 0.6em); height: var(--juggler-status-size, 0.6em); border-radius: 50%;
  background: var(--juggler-status-closed-color, #8a8f98); }
:host([status=connecting]) [part=indicator], :host([status=reconnecting]) [part=indicator] {
  background: var(--juggler-status-reconnecting-color, #d29922); }
:host([status=open]) [part=indicator] { background: var(--juggler-status-open-color, #2da44e); }
`;

/**
 * A small, accessible indicator of the nearest connection's status: a dot and
 * a label in a live region, so screen readers hear when the connection drops
 * and comes back.
 *
 * @summary Shows the connection status.
 * @tag juggler-status
 * @attr {'connecting' | 'open' | 'reconnecting' | 'closed'} status - Reflects the status (read-only).
 * @attr {string} [label-connecting=Connecting…] - Text while connecting (default "Connecting…").
 * @attr {string} [label-open=Connected] - Text while connected (default "Connected").
 * @attr {string} [label-reconnecting=Reconnecting…] - Text while reconnecting (default "Reconnecting…").
 * @attr {string} [label-closed=Offline] - Text while closed (default "Offline").
 * @csspart indicator - The dot.
 * @csspart label - The text.
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

  connectedCallback(): void {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${styles}</style><span part="indicator"></span><span part="label"></span>`;
      this.#label = root.querySelector('[part=label]') as HTMLElement;
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
    this.#connection?.removeEventListener('juggler-status', this.#onStatus);
    this.#connection = this.#consumer.scope?.connection;
    this.#connection?.addEventListener('juggler-status', this.#onStatus);
    this.#show();
  }

  #onStatus = (event: JugglerStatusEvent): void => {
    if (event.target === this.#connection) this.#show();
  };

  #show(): void {
    const status = this.#connection?.status ?? 'closed';
    this.setAttribute('status', status);
    if (this.#label) this.#label.textContent = this.getAttribute(`label-${status}`) ?? defaultLabels[status];
  }
}
