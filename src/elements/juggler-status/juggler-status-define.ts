import { JugglerStatus } from './juggler-status.js';

if (!customElements.get('juggler-status')) customElements.define('juggler-status', JugglerStatus);

declare global {
  interface HTMLElementTagNameMap {
    'juggler-status': JugglerStatus;
  }
}
