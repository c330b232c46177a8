import { JugglerConnection } from './juggler-connection.js';

if (!customElements.get('juggler-connection')) customElements.define('juggler-connection', JugglerConnection);

declare global {
  interface HTMLElementTagNameMap {
    'juggler-connection': JugglerConnection;
  }
}
