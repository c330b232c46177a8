/** juggler-elements for the browser: the protocol core and the WebSocket client. */
export * from './core/index.js';
export * from './client/index.js';
