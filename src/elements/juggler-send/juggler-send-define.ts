import { JugglerSend } from './juggler-send.js';

if (!customElements.get('juggler-send')) customElements.define('juggler-send', JugglerSend);

declare global {
  interface HTMLElementTagNameMap {
    'juggler-send': JugglerSend;
  }
}
