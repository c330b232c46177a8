import type { WebSocket } from 'ws';

/** Bounds on what a connection may hold unsent, for other sides that read slowly or not at all. */
export interface SendBufferLimits {
  /**
   * Unsent bytes above which a connection is sent no more DATA; once it is
   * below again it gets the whole current document, then the patches after it
   * (default 1 MiB).
   */
  sendHighWaterMark?: number;
  /** Unsent bytes a connection may hold for `maxSendBufferTime` before it is closed with 1013 (default 16 MiB). */
  maxSendBuffer?: number;
  /** How long, in ms, a connection may stay over `maxSendBuffer` (default 30,000). */
  maxSendBufferTime?: number;
}

export const defaultSendBufferLimits: Required<SendBufferLimits> = {
  sendHighWaterMark: 1024 * 1024,
  maxSendBuffer: 16 * 1024 * 1024,
  maxSendBufferTime: 30_000,
};

/**
 * What a `ws` socket holds unsent, watched where it changes: a send adds to
 * it, and every write the socket finishes (its send callback) takes from it.
 * The callback is one function for all sends and does nothing while the
 * connection keeps up, so a connection that reads costs no more than before.
 */
export class SendBuffer {
  readonly #socket: WebSocket;
  readonly #limits: Required<SendBufferLimits>;
  readonly #stalled: (why: string) => void;
  readonly #written = () => this.#afterWrite();
  #drainListeners: Array<() => void> = [];
  #overLimit: ReturnType<typeof setTimeout> | undefined;

  /** `stalled` runs, with what happened, when the socket stayed over `maxSendBuffer` for `maxSendBufferTime`. */
  constructor(socket: WebSocket, limits: SendBufferLimits, stalled: (why: string) => void) {
    this.#socket = socket;
    this.#limits = {
      sendHighWaterMark: limits.sendHighWaterMark ?? defaultSendBufferLimits.sendHighWaterMark,
      maxSendBuffer: limits.maxSendBuffer ?? defaultSendBufferLimits.maxSendBuffer,
      maxSendBufferTime: limits.maxSendBufferTime ?? defaultSendBufferLimits.maxSendBufferTime,
    };
    this.#stalled = stalled;
    socket.once('close', () => this.#stopTimer());
  }

  send(frame: string): void {
    this.#socket.send(frame, this.#written);
    if (this.#overLimit === undefined && this.#socket.bufferedAmount > this.#limits.maxSendBuffer) {
      this.#overLimit = setTimeout(() => this.#timeUp(), this.#limits.maxSendBufferTime);
      this.#overLimit.unref();
    }
  }

  /** Above the high-water mark: the connection should be sent no DATA. */
  isBacklogged(): boolean {
    return this.#socket.bufferedAmount > this.#limits.sendHighWaterMark;
  }

  /** Calls `listener` once (never synchronously), when the unsent bytes are at or below the high-water mark again. */
  whenDrained(listener: () => void): void {
    if (this.isBacklogged()) this.#drainListeners.push(listener);
    else queueMicrotask(listener);
  }

  #afterWrite(): void {
    if (this.#overLimit === undefined && this.#drainListeners.length === 0) return;
    const buffered = this.#socket.bufferedAmount;
    if (buffered <= this.#limits.maxSendBuffer) this.#stopTimer();
    if (buffered > this.#limits.sendHighWaterMark || this.#drainListeners.length === 0) return;
    const listeners = this.#drainListeners;
    this.#drainListeners = [];
    for (const listener of listeners) listener();
  }

  #timeUp(): void {
    this.#overLimit = undefined;
    const { maxSendBuffer, maxSendBufferTime } = this.#limits;
    if (this.#socket.bufferedAmount > maxSendBuffer) {
      this.#stalled(`reading too slowly: over ${maxSendBuffer} bytes unsent for ${maxSendBufferTime} ms`);
    }
  }

  #stopTimer(): void {
    clearTimeout(this.#overLimit);
    this.#overLimit = undefined;
  }
}
