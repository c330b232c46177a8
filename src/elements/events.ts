import type {
  JugglerChangeEvent,
  JugglerCloseEvent,
  JugglerErrorEvent,
  JugglerMessageEvent,
  JugglerOpenEvent,
  JugglerStatusEvent,
} from '../core/events.js';
import type { JsonValue } from '../core/json.js';

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
    'juggler-before-send': JugglerSendEvent;
    'juggler-sent': JugglerSendEvent;
    'juggler-result': JugglerResultEvent;
  }
}

/**
 * `juggler-before-send` (cancelable: `preventDefault()` sends nothing) and
 * `juggler-sent`, fired by `<juggler-send>`, bubbling and composed. Before
 * sending, a listener may assign `payload` to change what is sent.
 */
export class JugglerSendEvent extends Event {
  /** The message's payload: what will be sent, or what was sent. */
  payload: JsonValue;
  constructor(type: 'juggler-before-send' | 'juggler-sent', payload: JsonValue) {
    super(type, { bubbles: true, composed: true, cancelable: type === 'juggler-before-send' });
    this.payload = payload;
  }
}

/** `juggler-result`, fired by `<juggler-send action>` when the peer answered its call: `result` is the answer. */
export class JugglerResultEvent extends Event {
  readonly result: JsonValue;
  constructor(result: JsonValue, type = 'juggler-result') {
    super(type, elementEventInit);
    this.result = result;
  }
}
