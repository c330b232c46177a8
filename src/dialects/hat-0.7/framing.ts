import { JugglerError } from '../../core/errors.js';
import { isPlainObject, nestsDeeperThan, type JsonObject } from '../../core/json.js';
import type { IncomingLimits } from '../../core/messages.js';

/** The longest segment sent, in UTF-16 code units (64 KiB, as hat-juggler 0.7 cuts its messages). */
export const segmentSize = 65536;

/**
 * Cuts a message's JSON text into frames: `1` + text for each segment with
 * more to follow, `0` + text for the last (or only) one. A cut never falls
 * inside a surrogate pair: each frame is sent as UTF-8 on its own, and half a
 * pair would arrive as U+FFFD.
 */
export function segments(text: string, size = segmentSize): string[] {
  if (text.length <= size) return [`0${text}`];
  const frames: string[] = [];
  let at = 0;
  while (text.length - at > size) {
    let end = at + size;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    frames.push(`1${text.slice(at, end)}`);
    at = end;
  }
  frames.push(`0${text.slice(at)}`);
  return frames;
}

/** Most segments one message may come in: as many as `ws` lets a message have fragments. */
const maxSegments = 16_384;

/**
 * Reads the frames of one connection: joins segments (bounded by
 * `maxMessageSize`, in UTF-8 bytes, as the default dialect counts a message),
 * answers pings, and parses each whole message. Every frame is hostile: what
 * is wrong with one throws a {@link JugglerError}.
 */
export class FrameReader {
  readonly #limits: IncomingLimits;
  #parts: string[] = [];
  /** Code units held in `#parts`. */
  #length = 0;
  /** UTF-8 bytes held, counted only once three bytes a unit could pass the limit. */
  #bytes: number | undefined;

  constructor(limits: IncomingLimits) {
    this.#limits = limits;
  }

  /**
   * The message `frame` completes, or undefined when it completes none (a
   * segment with more to follow, a ping, a pong). A ping's answer is handed to
   * `pong`.
   */
  read(frame: string, pong: (frame: string) => void): JsonObject | undefined {
    const prefix = frame[0];
    if (prefix === '2') {
      pong(`3${frame.slice(1)}`);
      return undefined;
    }
    if (prefix === '3') return undefined;
    if (prefix !== '0' && prefix !== '1') throw badPrefix(frame);
    this.#add(frame.slice(1));
    if (prefix === '1') return undefined;
    const text = this.#parts.length === 1 ? this.#parts[0] : this.#parts.join('');
    this.reset();
    return parse(text, this.#limits.maxDepth);
  }

  /** Drops a message half received (the connection ended). */
  reset(): void {
    this.#parts = [];
    this.#length = 0;
    this.#bytes = undefined;
  }

  #add(segment: string): void {
    const limit = this.#limits.maxMessageSize;
    // Each segment held costs memory whatever its length: empty ones add nothing to the size, so count them too.
    if (this.#parts.length >= maxSegments) {
      this.reset();
      throw new JugglerError('message-too-large', `message is in more than ${maxSegments} segments`);
    }
    this.#length += segment.length;
    this.#parts.push(segment);
    if (this.#bytes === undefined) {
      if (this.#length * 3 <= limit) return;
      // Past this point every unit is counted, the ones held before included, once.
      this.#bytes = 0;
      for (const part of this.#parts) this.#bytes += utf8Length(part);
    } else {
      this.#bytes += utf8Length(segment);
    }
    if (this.#bytes > limit) {
      this.reset();
      throw new JugglerError('message-too-large', `message is larger than ${limit} bytes`);
    }
  }
}

function parse(text: string, maxDepth: number): JsonObject {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    throw new JugglerError('invalid-json', `message is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(message) || typeof message.type !== 'string') {
    throw new JugglerError('invalid-message', 'message is not a JSON object with a "type"');
  }
  // Each level of nesting takes at least two characters, so short messages cannot be too deep.
  if (text.length > 2 * maxDepth && nestsDeeperThan(message, maxDepth + 1)) {
    throw new JugglerError('too-deep', `message nests deeper than ${maxDepth} levels`);
  }
  return message;
}

/** A frame with no segment prefix: a peer of the older protocol sends JSON objects as they are. */
function badPrefix(frame: string): JugglerError {
  const start = JSON.stringify(frame.slice(0, 20));
  if (/^\s*\{/.test(frame)) {
    return new JugglerError(
      'unsupported-dialect',
      `the peer speaks the Juggler protocol of hat-juggler up to 0.5 (a JSON object with no segment prefix: ${start}), not the hat-0.7 dialect`,
    );
  }
  return new JugglerError('invalid-message', `a frame must start with 0, 1, 2 or 3, not ${start}`);
}

/** The UTF-8 length of `text`; surrogate pairs count 2 + 2, the four bytes of their code point. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}
