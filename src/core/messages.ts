import { JugglerError } from './errors.js';
import { describeValue, hasOwn, isPlainObject, nestsDeeperThan, type JsonValue } from './json.js';

/** The message types of the protocol (PING and PONG since hat-juggler 0.5.12). */
export type MessageType = 'DATA' | 'MESSAGE' | 'PING' | 'PONG';

/** A decoded frame. */
export interface JugglerMessage {
  type: MessageType;
  payload: JsonValue;
}

/** Limits applied to every incoming frame before anything else looks at it. */
export interface IncomingLimits {
  /** Largest accepted message in UTF-8 bytes (default 4 MiB, as the reference Python peer). */
  maxMessageSize: number;
  /** Deepest accepted nesting of objects and arrays in a payload (default 100, at most {@link maxDepthCeiling}). */
  maxDepth: number;
}

export const defaultLimits: IncomingLimits = { maxMessageSize: 4 * 1024 * 1024, maxDepth: 100 };

/**
 * The largest `maxDepth` a peer uses, whatever it is given. Accepted data is
 * walked recursively (equality, diffs, serialising it for the page), and a
 * recursion a few thousand levels deep can exhaust a stack that is already in
 * use; a thousand levels keeps those walks far from that limit.
 */
export const maxDepthCeiling = 1000;

/** The limits to use for `options`: the defaults where none is given, and `maxDepth` held to {@link maxDepthCeiling}. */
export function incomingLimits(options: Partial<IncomingLimits>): IncomingLimits {
  return {
    maxMessageSize: options.maxMessageSize ?? defaultLimits.maxMessageSize,
    maxDepth: Math.min(options.maxDepth ?? defaultLimits.maxDepth, maxDepthCeiling),
  };
}

const messageTypes = new Set<string>(['DATA', 'MESSAGE', 'PING', 'PONG']);

/**
 * Decodes one text frame, treating it as hostile: size first (before parsing),
 * then JSON, then shape, then nesting depth. Throws a {@link JugglerError} that
 * says what was wrong.
 */
export function parseMessage(text: string, limits: IncomingLimits = defaultLimits): JugglerMessage {
  if (utf8LengthExceeds(text, limits.maxMessageSize)) {
    throw new JugglerError('message-too-large', `message is larger than ${limits.maxMessageSize} bytes`);
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw dialectError(text) ?? new JugglerError('invalid-json', `message is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(message)) throw dialectError(text) ?? new JugglerError('invalid-message', 'message is not a JSON object');
  const { type } = message;
  if (!hasOwn(message, 'type')) throw new JugglerError('invalid-message', 'message has no "type"');
  if (typeof type !== 'string' || !messageTypes.has(type)) {
    throw new JugglerError('unknown-type', `unknown message type ${describeValue(type)}`);
  }
  const isKeepAlive = type === 'PING' || type === 'PONG';
  if (!hasOwn(message, 'payload') && !isKeepAlive) {
    throw new JugglerError('invalid-message', `${type} message has no "payload"`);
  }
  const payload = (message.payload ?? null) as JsonValue;
  // Each level of nesting takes at least two characters, so short messages cannot be too deep.
  if (text.length > 2 * limits.maxDepth && nestsDeeperThan(payload, limits.maxDepth)) {
    throw new JugglerError('too-deep', `payload nests deeper than ${limits.maxDepth} levels`);
  }
  return { type: type as MessageType, payload };
}

/**
 * Frames of hat-juggler 0.7's own framing: `0` or `1` and a JSON text (a
 * message or a segment of one), or `2` / `3` and anything (ping, pong). No
 * Juggler message starts so; checked only once a frame has failed to parse.
 */
const hat07Frame = /^(?:[01]\s*[[{"]|[23])/;

function dialectError(text: string): JugglerError | undefined {
  if (!hat07Frame.test(text)) return undefined;
  return new JugglerError(
    'unsupported-dialect',
    `the peer speaks the hat-juggler 0.7 dialect (a frame starting ${JSON.stringify(text.slice(0, 10))}), not the Juggler protocol of hat-juggler up to 0.5`,
  );
}

/** Encodes a message as the text of one frame. */
export function encodeMessage(type: MessageType, payload: unknown): string {
  return `{"type":"${type}","payload":${JSON.stringify(payload)}}`;
}

/**
 * Encodes a DATA message from operations that are already serialised, so a
 * patch recorded as it was written (or shared by many connections) is never
 * serialised twice.
 */
export function encodeDataFrame(serialisedOperations: readonly string[]): string {
  return `{"type":"DATA","payload":[${serialisedOperations.join(',')}]}`;
}

/**
 * Whether `text` takes more than `limit` bytes as UTF-8, without encoding it:
 * a UTF-16 code unit takes 1 to 3 bytes, so most strings are settled by their
 * length alone and only borderline ones are counted.
 */
function utf8LengthExceeds(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // Surrogate pairs count 2 + 2: the four bytes of their code point.
    bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3;
    if (bytes > limit) return true;
  }
  return false;
}
