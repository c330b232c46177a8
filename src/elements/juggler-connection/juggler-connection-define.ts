/** Registers `<juggler-connection>` (skipped where there is no DOM, or when the tag is already taken). */
import { defineIfFree } from '../define-element.js';
import { JugglerConnection } from './juggler-connection.js';

defineIfFree(JugglerConnection, 'juggler-connection');

export { JugglerConnection };

declare global {
  interface HTMLElementTagNameMap {
    'juggler-connection': JugglerConnection;
  }
}
