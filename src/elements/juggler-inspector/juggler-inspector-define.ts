/**
 * `juggler-elements/inspector`: registers `<juggler-inspector>` (skipped where
 * there is no registry, or when the tag is taken). Apart from the default
 * bundle and `juggler-elements/define`, so that pages without it pay nothing.
 */
import { defineIfFree } from '../define-element.js';
import { JugglerInspector } from './juggler-inspector.js';

defineIfFree(JugglerInspector, 'juggler-inspector');

export { JugglerInspector };
export { JugglerCopyEvent } from './copy-event.js';

declare global {
  interface HTMLElementTagNameMap {
    'juggler-inspector': JugglerInspector;
  }
}
