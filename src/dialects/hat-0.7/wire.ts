import { JugglerError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { incomingLimits, type IncomingLimits } from '../../core/messages.js';
import type { KeepAliveOptions } from '../../core/keep-alive.js';
import type { Transport } from '../../core/peer.js';
import { FrameReader, segments } from './framing.js';
import { IdleKeepAlive } from './keep-alive.js';

/** The keep-alive of hat-juggler 0.7: a ping after 30 s of silence, dead 30 s after it. */
export const defaultKeepAlive = { pingInterval: 30_000, pingTimeout: 30_000 } as const;

const dataPrefix = '{"type":"DATA","payload":';

/** The last DATA frame cut into state frames: a shared state sends one text to every connection, cut once. */
let lastData: string | undefined;
let lastFrames: string[] = [];

/**
 * One connection of a peer of the dialect: what it reads (segments joined,
 * pings answered, keep-alive) and how it writes (every message cut into
 * segments; the local state's DATA frames become `state` messages).
 */
export class Wire {
  readonly #reader: FrameReader;
  readonly #keepAlive: IdleKeepAlive;
  readonly #abort: (error: JugglerError) => void;
  #raw: Transport | undefined;

  constructor(options: Partial<IncomingLimits> & KeepAliveOptions, abort: (error: JugglerError) => void) {
    this.#abort = abort;
    this.#reader = new FrameReader(incomingLimits(options));
    this.#keepAlive = new IdleKeepAlive(
      options.pingInterval ?? defaultKeepAlive.pingInterval,
      options.pingTimeout ?? defaultKeepAlive.pingTimeout,
      () => this.#raw?.send('2'),
      () => abort(new JugglerError('ping-timeout', 'no answer to a ping in time')),
    );
  }

  /** A connection opened on `raw`: pings and pongs go to it, and the keep-alive starts. */
  open(raw: Transport): void {
    this.#raw = raw;
    this.#keepAlive.start();
  }

  /** The transport a peer writes its messages to: each is cut into segments on `raw`. */
  static writer(raw: Transport): Transport {
    return {
      send: (text) => {
        if (!text.startsWith(dataPrefix)) {
          for (const frame of segments(text)) raw.send(frame);
          return;
        }
        if (text !== lastData) {
          lastFrames = segments(`{"type":"state","diff":${text.slice(dataPrefix.length)}`);
          lastData = text;
        }
        for (const frame of lastFrames) raw.send(frame);
      },
      close: (code, reason) => raw.close(code, reason),
      isBacklogged: raw.isBacklogged && (() => raw.isBacklogged!()),
      whenDrained: raw.whenDrained && ((listener) => raw.whenDrained!(listener)),
    };
  }

  /** The message a frame completes, if any; a bad frame is handed to `abort` instead. */
  read(frame: string): JsonObject | undefined {
    this.#keepAlive.heard();
    try {
      return this.#reader.read(frame, (pong) => this.#raw?.send(pong));
    } catch (error) {
      // Whatever a hostile frame makes go wrong ends this connection, never the process.
      this.#abort(error instanceof JugglerError ? error : new JugglerError('invalid-message', `cannot read the message: ${String(error)}`));
      return undefined;
    }
  }

  closed(): void {
    this.#keepAlive.stop();
    this.#reader.reset();
    this.#raw = undefined;
  }
}
