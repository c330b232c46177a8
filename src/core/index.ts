/**
 * The Juggler protocol with no DOM and no sockets: patches, local and remote
 * data, the coalescing delay, and the peer that ties them to a transport.
 */
export { applyPatch, defaultPatchLimits, type PatchLimits, type PatchResult } from './apply-patch.js';
export type { CallHandler, CallOptions, CallsOptions } from './calls.js';
export { diff, diffChanges, type Changes } from './diff.js';
export { CloseCode, JugglerError, type JugglerErrorCode } from './errors.js';
export {
  JugglerChangeEvent,
  JugglerCloseEvent,
  JugglerErrorEvent,
  JugglerMessageEvent,
  JugglerOpenEvent,
  JugglerStatusEvent,
  type ConnectionStatus,
} from './events.js';
export { jsonEqual, type JsonContainer, type JsonObject, type JsonValue } from './json.js';
export { jsonSize } from './json-size.js';
export { childPointer, escapeToken, formatPointer, isAtOrBelow, parsePointer } from './json-pointer.js';
export type { KeepAliveOptions } from './keep-alive.js';
export { LocalState, type DataSink, type LocalStateOptions, type WriteOptions } from './local-state.js';
export { defaultLimits, encodeMessage, maxDepthCeiling, parseMessage, type IncomingLimits, type JugglerMessage, type MessageType } from './messages.js';
export type { Operation, Patch } from './operations.js';
export { JugglerPeer, type JugglerPeerEventMap, type PeerOptions, type Transport } from './peer.js';
export type { Delay } from './throttle.js';
