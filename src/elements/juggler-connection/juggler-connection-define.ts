import { ContextRoot } from '@lit/context';
import { JugglerConnection } from './juggler-connection.js';

/**
 * Elements that ask for their connection before it is upgraded wait at the
 * document for it; one root serves every copy of the kit on the page.
 */
const rootKey = Symbol.for('juggler-elements.context-root');
const page = globalThis as typeof globalThis & { [rootKey]?: ContextRoot };
if (typeof document !== 'undefined' && !page[rootKey]) {
  page[rootKey] = new ContextRoot();
  page[rootKey].attach(document.documentElement);
}

if (!customElements.get('juggler-connection')) customElements.define('juggler-connection', JugglerConnection);

declare global {
  interface HTMLElementTagNameMap {
    'juggler-connection': JugglerConnection;
  }
}
