/**
 * The elements' classes, with no side effects: import `juggler-elements/define`
 * (or a tag's own define module) to register the tags.
 */
export { jugglerRemoteState, jugglerScope, type DataSource, type JugglerScope, type RemoteState } from './context.js';
export { JugglerController, type JugglerControllerOptions } from './controller/juggler-controller.js';
export { elementEventInit } from './events.js';
export { JugglerBind } from './juggler-bind/juggler-bind.js';
export { JugglerConnection } from './juggler-connection/juggler-connection.js';
export { JugglerList } from './juggler-list/juggler-list.js';
export { JugglerSend } from './juggler-send/juggler-send.js';
export { JugglerStatus } from './juggler-status/juggler-status.js';
