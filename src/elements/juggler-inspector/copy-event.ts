import type { DataSource } from '../context.js';

/** `juggler-copy`, fired by `<juggler-inspector>` once a JSON Pointer is on the clipboard; bubbling, composed. */
export class JugglerCopyEvent extends Event {
  /** The pointer copied: what the clipboard now holds. */
  readonly pointer: string;
  /** Which data it points into. */
  readonly source: DataSource;
  constructor(pointer: string, source: DataSource, type = 'juggler-copy') {
    super(type, { bubbles: true, composed: true });
    this.pointer = pointer;
    this.source = source;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'juggler-copy': JugglerCopyEvent;
  }
}
