/**
 * Why a connection failed. Each code maps to the WebSocket close code the peer
 * closes with, so the other side (and logs) can tell the reasons apart.
 */
export type JugglerErrorCode =
  | 'binary-frame'
  | 'message-too-large'
  | 'invalid-json'
  | 'too-deep'
  | 'data-too-large'
  | 'patch-too-costly'
  | 'invalid-message'
  | 'unknown-type'
  | 'invalid-patch'
  | 'patch-failed'
  | 'ping-timeout'
  | 'invalid-path'
  | 'invalid-value'
  | 'not-open'
  | 'queue-full'
  | 'connect-failed'
  | 'slow-consumer'
  | 'invalid-frame'
  | 'too-many-fragments'
  | 'unsupported-dialect'
  | 'call-failed'
  | 'call-timeout'
  | 'connection-closed'
  | 'aborted'
  | 'too-many-calls'
  | 'invalid-call'
  | 'unknown-call'
  | 'calls-busy'
  | 'not-supported';

/** WebSocket close codes (RFC 6455 §7.4.1) used when a peer gives up on a connection. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  messageTooBig: 1009,
  tryAgainLater: 1013,
} as const;

const closeCodes: Record<JugglerErrorCode, number> = {
  'binary-frame': 1003, // unsupportedData
  'message-too-large': 1009, // messageTooBig
  'invalid-json': 1007, // invalidPayload
  'too-deep': 1009, // messageTooBig
  'data-too-large': 1009, // messageTooBig
  // RFC 6455: 1009 is for a message "too big for it to process"; this one takes too long to.
  'patch-too-costly': 1009, // messageTooBig
  'invalid-message': 1002, // protocolError
  'unknown-type': 1002, // protocolError
  'invalid-patch': 1002, // protocolError
  'patch-failed': 1007, // invalidPayload
  'ping-timeout': 1001, // goingAway
  'invalid-path': 1002, // protocolError
  'invalid-value': 1007, // invalidPayload
  'not-open': 1000, // normal
  'queue-full': 1000, // normal
  'connect-failed': 1000, // normal
  'slow-consumer': 1013, // tryAgainLater
  // WebSocket framing the socket refused (a masked frame from a server, a bad opcode, …).
  'invalid-frame': 1002, // protocolError
  'too-many-fragments': 1008, // policyViolation
  // The other peer speaks hat-juggler 0.7's framing: another protocol.
  'unsupported-dialect': 1002, // protocolError
  // A call's own outcome: these reject the call and never close the connection.
  'call-failed': 1000, // normal
  'call-timeout': 1000, // normal
  'connection-closed': 1000, // normal
  aborted: 1000, // normal
  'too-many-calls': 1000, // normal
  // A call frame of the wrong shape closes the connection; the two after it are reported and the connection stays.
  'invalid-call': 1002, // protocolError
  'unknown-call': 1002, // protocolError
  'calls-busy': 1013, // tryAgainLater
  // Something the connection's dialect has no way to say (local data in hat-0.7): refused locally, never closes.
  'not-supported': 1000, // normal
};

/** An error with a machine-readable `code`; incoming-frame errors also close the connection. */
export class JugglerError extends Error {
  override readonly name = 'JugglerError';
  readonly code: JugglerErrorCode;

  constructor(code: JugglerErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  /** The WebSocket close code a peer uses when this error ends a connection. */
  get closeCode(): number {
    return closeCodes[this.code];
  }
}

/**
 * A WebSocket close reason may take at most 123 UTF-8 bytes; `ws` throws and
 * browsers throw past that. Error messages quote hostile input, so they are cut
 * by bytes, on a character boundary.
 */
export function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  return `${new TextDecoder().decode(bytes.subarray(0, 120)).replace(/\uFFFD$/, '')}…`;
}

/**
 * The text of whatever was thrown, for a failure sent to the other peer:
 * an Error's message, anything else as a string (a value whose conversion
 * itself throws gets a placeholder, never a second throw).
 */
export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an error that cannot be shown';
  }
}
