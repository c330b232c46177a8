/** The browser client: a Juggler peer that owns a WebSocket and reconnects. */
export { Backoff, type BackoffOptions } from './backoff.js';
export { browserCloseCode, defaultUrl } from './default-url.js';
export {
  JugglerClient,
  type ClientOptions,
  type JugglerClientEventMap,
  type PerConnect,
  type ReconnectOptions,
  type SocketLike,
} from './juggler-client.js';
