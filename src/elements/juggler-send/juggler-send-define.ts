/** Registers `<juggler-send>` (skipped where there is no DOM, or when the tag is already taken). */
import { defineIfFree } from '../define-element.js';
import { JugglerSend } from './juggler-send.js';

defineIfFree(JugglerSend, 'juggler-send');

export { JugglerSend };

declare global {
  interface HTMLElementTagNameMap {
    'juggler-send': JugglerSend;
  }
}
