/** juggler-elements for the browser: the protocol core, the WebSocket client and the elements' classes. */
export * from './core/index.js';
export * from './client/index.js';
export * from './elements/index.js';
