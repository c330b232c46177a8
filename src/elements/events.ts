import type {
  JugglerChangeEvent,
  JugglerCloseEvent,
  JugglerErrorEvent,
  JugglerMessageEvent,
  JugglerOpenEvent,
  JugglerStatusEvent,
} from '../core/events.js';

/**
 * The elements fire the core's event classes under `juggler-` names, bubbling
 * and composed, so a page (or a framework's `onjuggler-change` listener) can
 * hear them from any ancestor, across shadow roots.
 */
export const elementEventInit: EventInit = { bubbles: true, composed: true };

declare global {
  interface GlobalEventHandlersEventMap {
    'juggler-open': JugglerOpenEvent;
    'juggler-close': JugglerCloseEvent;
    'juggler-change': JugglerChangeEvent;
    'juggler-message': JugglerMessageEvent;
    'juggler-status': JugglerStatusEvent;
    'juggler-error': JugglerErrorEvent;
  }
}
