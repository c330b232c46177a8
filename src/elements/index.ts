/**
 * The elements' classes, with no side effects (importing them is safe in Node
 * and under server-side rendering): import `juggler-elements/define` (or one
 * tag's `juggler-elements/define/juggler-bind`, …) to register the tags, or call
 * a class's `define(tag?, registry?)`.
 */
export { jugglerRemoteState, jugglerScope, type DataSource, type JugglerScope, type RemoteState } from './context.js';
export { elementEventInit, JugglerResultEvent, JugglerSendEvent } from './events.js';
export { JugglerBind } from './juggler-bind/juggler-bind.js';
export { JugglerConnection } from './juggler-connection/juggler-connection.js';
export { JugglerList } from './juggler-list/juggler-list.js';
export { JugglerSend } from './juggler-send/juggler-send.js';
export { JugglerStatus } from './juggler-status/juggler-status.js';
// Types only: the inspector's classes live in `juggler-elements/inspector`, apart from the default bundle.
export type { JugglerCopyEvent } from './juggler-inspector/copy-event.js';
export type { JugglerInspector } from './juggler-inspector/juggler-inspector.js';
// The event <juggler-connection dialect="hat-0.7"> fires: its type here, its class in `juggler-elements/hat-0.7`.
export type { JugglerNotifyEvent } from '../dialects/hat-0.7/events.js';
