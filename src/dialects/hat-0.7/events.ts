import type { JsonValue } from '../../core/json.js';

/**
 * The server sent a `notify` message: a one-way event with a `name` and `data`.
 * Fired as `notify` by a hat-0.7 client and as `juggler-notify` (bubbling,
 * composed) by `<juggler-connection dialect="hat-0.7">`.
 */
export class JugglerNotifyEvent extends Event {
  readonly name: string;
  readonly data: JsonValue;
  constructor(name: string, data: JsonValue, type = 'notify', init?: EventInit) {
    super(type, init);
    this.name = name;
    this.data = data;
  }

  /** The same notification as a new event of another type, for an element to fire it again. */
  relay(type: string, init?: EventInit): JugglerNotifyEvent {
    return new JugglerNotifyEvent(this.name, this.data, type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'juggler-notify': JugglerNotifyEvent;
  }
}
