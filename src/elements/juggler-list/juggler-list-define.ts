/** Registers `<juggler-list>` (skipped where there is no DOM, or when the tag is already taken). */
import { defineIfFree } from '../define-element.js';
import { JugglerList } from './juggler-list.js';

defineIfFree(JugglerList, 'juggler-list');

export { JugglerList };

declare global {
  interface HTMLElementTagNameMap {
    'juggler-list': JugglerList;
  }
}
