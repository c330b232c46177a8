/** The Node.js peer: a server on `ws`, a client, and what they share with the browser. */
export * from '../core/index.js';
export { JugglerClient, type ClientOptions } from '../client/juggler-client.js';
export { attachSocket, type AttachHooks } from './attach-socket.js';
export { connect } from './connect.js';
export type { ConnectionLimits } from './connection-limits.js';
export { JugglerConnectionEvent, JugglerServer, listen, type JugglerServerEventMap, type ListenOptions } from './listen.js';
export { isHostAllowed, isOriginAllowed, type AllowedHosts, type AllowedOrigins } from './origin-check.js';
export { defaultSendBufferLimits, type SendBufferLimits } from './send-buffer.js';
export type { LogDetails, LogLevel, ServerLogger } from './server-log.js';
export { serveStatic } from './static-files.js';
export { localAppContext, openAppContext, type AppContext, type AppModule, type AppSharedStateOptions } from './app-context.js';
export { SoleLease, type Lease } from './lease.js';
export { LocalSharedState, type SharedState, type SharedStateOptions } from './shared-state.js';
