/** Registers `<juggler-bind>` (skipped where there is no DOM, or when the tag is already taken). */
import { defineIfFree } from '../define-element.js';
import { JugglerBind } from './juggler-bind.js';

defineIfFree(JugglerBind, 'juggler-bind');

export { JugglerBind };

declare global {
  interface HTMLElementTagNameMap {
    'juggler-bind': JugglerBind;
  }
}
