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
  | 'calls-busy';

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
  'binary-frame': CloseCode.unsupportedData,
  'message-too-large': CloseCode.messageTooBig,
  'invalid-json': CloseCode.invalidPayload,
  'too-deep': CloseCode.messageTooBig,
  'data-too-large': CloseCode.messageTooBig,
  // RFC 6455: 1009 is for a message "too big for it to process"; this one takes too long to.
  'patch-too-costly': CloseCode.messageTooBig,
  'invalid-message': CloseCode.protocolError,
  'unknown-type': CloseCode.protocolError,
  'invalid-patch': CloseCode.protocolError,
  'patch-failed': CloseCode.invalidPayload,
  'ping-timeout': CloseCode.goingAway,
  'invalid-path': CloseCode.protocolError,
  'invalid-value': CloseCode.invalidPayload,
  'not-open': CloseCode.normal,
  'queue-full': CloseCode.normal,
  'connect-failed': CloseCode.normal,
  'slow-consumer': CloseCode.tryAgainLater,
  // WebSocket framing the socket refused (a masked frame from a server, a bad opcode, …).
  'invalid-frame': CloseCode.protocolError,
  'too-many-fragments': CloseCode.policyViolation,
  // The other peer speaks hat-juggler 0.7's framing: another protocol.
  'unsupported-dialect': CloseCode.protocolError,
  // A call's own outcome: these reject the call and never close the connection.
  'call-failed': CloseCode.normal,
  'call-timeout': CloseCode.normal,
  'connection-closed': CloseCode.normal,
  aborted: CloseCode.normal,
  'too-many-calls': CloseCode.normal,
  // A call frame of the wrong shape closes the connection; the two after it are reported and the connection stays.
  'invalid-call': CloseCode.protocolError,
  'unknown-call': CloseCode.protocolError,
  'calls-busy': CloseCode.tryAgainLater,
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
