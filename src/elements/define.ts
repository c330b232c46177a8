/** Defines every tag of the kit (each definition is guarded, so loading two copies does not throw). */
import './juggler-connection/juggler-connection-define.js';
import './juggler-bind/juggler-bind-define.js';
import './juggler-list/juggler-list-define.js';
import './juggler-send/juggler-send-define.js';
import './juggler-status/juggler-status-define.js';

export * from './index.js';
export { JugglerController, type JugglerControllerOptions } from './controller/juggler-controller.js';
