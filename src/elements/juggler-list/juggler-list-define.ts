import { JugglerList } from './juggler-list.js';

if (!customElements.get('juggler-list')) customElements.define('juggler-list', JugglerList);

declare global {
  interface HTMLElementTagNameMap {
    'juggler-list': JugglerList;
  }
}
