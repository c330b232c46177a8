/** Registers `<juggler-status>` (skipped where there is no DOM, or when the tag is already taken). */
import { defineIfFree } from '../define-element.js';
import { JugglerStatus } from './juggler-status.js';

defineIfFree(JugglerStatus, 'juggler-status');

export { JugglerStatus };

declare global {
  interface HTMLElementTagNameMap {
    'juggler-status': JugglerStatus;
  }
}
