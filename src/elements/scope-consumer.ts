import { ContextEvent, ContextRoot } from '@lit/context';
import { JugglerError } from '../core/errors.js';
import { jugglerScope, type JugglerScope } from './context.js';
import { reportError } from './report-error.js';

/**
 * Finds the nearest scope for an element that is not a Lit element, through
 * the context protocol: one `context-request` event when the element connects,
 * answered by the nearest provider across shadow roots and slots. When the
 * element is in place before its connection upgrades, the request waits at the
 * document's `ContextRoot` and is answered when the connection arrives.
 */
export class ScopeConsumer {
  readonly #host: HTMLElement;
  readonly #changed: (scope: JugglerScope | undefined) => void;
  #unsubscribe: (() => void) | undefined;
  scope: JugglerScope | undefined;

  constructor(host: HTMLElement, changed: (scope: JugglerScope | undefined) => void) {
    this.#host = host;
    this.#changed = changed;
  }

  connect(): void {
    listenForLateConnections(this.#host.ownerDocument);
    this.#host.dispatchEvent(new ContextEvent(jugglerScope, this.#host, this.#receive, true));
    if (!this.scope) afterLoad(this.#host.ownerDocument, () => this.#checkFound());
  }

  /**
   * A connection may be defined or put in place after its elements (a lazy
   * definition, a framework's later render), so only once the page has loaded,
   * and a moment more, is an element still without one reported.
   */
  #checkFound(): void {
    if (this.scope || !this.#host.isConnected) return;
    reportError(this.#host, new JugglerError('not-open', `no <juggler-connection> around this element`));
  }

  disconnect(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.scope) {
      this.scope = undefined;
      this.#changed(undefined);
    }
  }

  #receive = (scope: JugglerScope, unsubscribe?: () => void): void => {
    if (unsubscribe !== this.#unsubscribe) this.#unsubscribe?.();
    this.#unsubscribe = unsubscribe;
    if (scope === this.scope) return;
    this.scope = scope;
    this.#changed(scope);
  };
}

/**
 * Requests nobody answered wait at the document's `ContextRoot` and are asked
 * again when a provider appears (a `<juggler-connection>` defined after the
 * elements inside it). Installed on first use, once per document, shared by
 * every copy of the kit on the page.
 */
const rootKey = Symbol.for('juggler-elements.context-root');

function listenForLateConnections(document: Document): void {
  const holder = document as Document & { [rootKey]?: ContextRoot };
  if (holder[rootKey]) return;
  holder[rootKey] = new ContextRoot();
  holder[rootKey].attach(document.documentElement);
}

/** How long after the page's load event an element may still wait for its connection. */
const graceAfterLoad = 1000;

function afterLoad(document: Document, then: () => void): void {
  const wait = () => setTimeout(then, graceAfterLoad);
  if (document.readyState === 'complete') wait();
  else document.defaultView?.addEventListener('load', wait, { once: true });
}
