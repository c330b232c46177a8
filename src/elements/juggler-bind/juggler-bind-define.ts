import { JugglerBind } from './juggler-bind.js';

if (!customElements.get('juggler-bind')) customElements.define('juggler-bind', JugglerBind);

declare global {
  interface HTMLElementTagNameMap {
    'juggler-bind': JugglerBind;
  }
}
