/**
 * juggler-elements for the browser: the protocol core, the WebSocket client,
 * the elements' classes, and `JugglerController` for your own Lit components.
 */
export * from './core/index.js';
export * from './client/index.js';
export * from './elements/index.js';
export { JugglerController, type JugglerControllerOptions } from './elements/controller/juggler-controller.js';
