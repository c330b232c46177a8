import { JugglerError, type JugglerErrorCode } from '../core/errors.js';

/**
 * Frames `ws` refuses before a peer sees them, by the `code` on its error, as
 * the JugglerError whose close code is the one `ws` puts on the wire (see
 * ws/lib/receiver.js). Every other `WS_ERR_*` of the receiver (a bad opcode, a
 * masked frame from a server or an unmasked one from a client, reserved bits,
 * a fragmented control frame, a bad close code) closes with 1002.
 */
const refusedFrames: Readonly<Record<string, JugglerErrorCode>> = {
  WS_ERR_INVALID_UTF8: 'invalid-json', // 1007
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'message-too-large', // 1009
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 'message-too-large', // 1009
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 'too-many-fragments', // 1008
};

/** Words for the network errors a connection attempt meets most. */
const networkReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/**
 * What a `ws` socket's `error` means, as a JugglerError: a refused frame gets
 * the code `ws` closed with (so the server's `error` event and the wire agree);
 * anything else, a failed connect (refused, an HTTP answer other than 101, a
 * broken handshake) or a lost socket, is `connect-failed` with the reason.
 * Shared by the server (attachSocket) and the Node client (connect).
 */
export function jugglerErrorFromWs(error: Error & { code?: string }): JugglerError {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code.startsWith('WS_ERR_')) return new JugglerError(refusedFrames[code] ?? 'invalid-frame', error.message);
  // A compressed frame that does not inflate: ws closes with 1007.
  if (code.startsWith('Z_')) return new JugglerError('invalid-json', `cannot decompress a frame: ${error.message}`);
  const status = /^Unexpected server response: (\d+)/.exec(error.message);
  const reason = status ? `HTTP ${status[1]}` : (networkReasons[code] ?? error.message);
  return new JugglerError('connect-failed', `connection failed: ${reason}`);
}
