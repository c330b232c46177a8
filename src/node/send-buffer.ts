import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { JugglerError } from '../core/errors.js';
import type { Transport } from '../core/peer.js';
import { deferWrite, writesPerTurn, type DeferredWrite, type DeferredWriter } from './deferred-writes.js';
import { repeatCount, repeatedFrame, type WireFrame } from './repeated-frame.js';

/** Bounds on what a connection may hold unsent, for other sides that read slowly or not at all. */
export interface SendBufferLimits {
  /**
   * Unsent bytes above which a connection is sent no more DATA and nothing more
   * is read from it (so its calls and PINGs cannot make us answer without end);
   * once it is below again it is read again, and gets the whole current
   * document, then the patches after it (default 1 MiB).
   */
  sendHighWaterMark?: number;
  /**
   * Unsent bytes a connection may hold for `maxSendBufferTime` before it is
   * given up with a `slow-consumer` error and its socket cut (default 16 MiB).
   */
  maxSendBuffer?: number;
  /** How long, in ms, a connection may stay over `maxSendBuffer` (default 30,000). */
  maxSendBufferTime?: number;
}

export const defaultSendBufferLimits: Required<SendBufferLimits> = {
  sendHighWaterMark: 1024 * 1024,
  maxSendBuffer: 16 * 1024 * 1024,
  maxSendBufferTime: 30_000,
};

/** What of ws's WebSocket this reads to write a frame built once straight to the socket (see `#writeFrame`). */
interface WsInternals {
  _isServer?: boolean;
  _extensions?: Record<string, unknown>;
  _socket?: Socket;
  _sender?: { _state?: number; _queue?: unknown[] };
}

const open = 1;

/** What a send buffer gives up when its connection reads too slowly: the peer. An object, not a callback: one closure less per connection. */
export interface SendBufferOwner {
  abort(error: JugglerError): void;
}

/**
 * Frames a connection may have waiting in the deferred queue before it counts
 * as backlogged: when broadcasts come faster than the process writes them,
 * connections are sent the whole document once they are written out, instead
 * of a queue of patches growing without bound in memory and in latency.
 */
const maxWaitingFrames = 2;

/**
 * The transport of one `ws` connection: it writes the peer's frames and
 * watches what the socket holds unsent.
 *
 * A frame sent to many connections in a row (a broadcast) is encoded and
 * framed once, and the same buffers are written to every socket. Past
 * {@link writesPerTurn} sockets in a row, the rest are written in later turns
 * of the event loop; a connection with a write waiting sends everything after
 * it the same way, so its frames never change order. A connection with
 * frames still waiting there when the next broadcast comes counts as
 * backlogged, as one over the high-water mark does.
 *
 * Unsent bytes are watched where they change: a send adds to them, and the
 * completion of a write takes from them. Only writes that queue behind others
 * (or while someone waits for a drain or the limit timer runs) ask to hear of
 * their completion, so a connection that keeps up costs nothing more.
 *
 * Above the high-water mark the connection is not read from until it is below
 * again: every call and PING it sends is answered, so a client that sends and
 * never reads would otherwise make us queue answers without end. What it can
 * still add is what was read before the pause: a few frames.
 */
export class SendBuffer implements Transport, DeferredWriter {
  readonly #socket: WebSocket;
  readonly #tcp: Socket;
  /** Whether frames built once can go straight to the TCP socket; else everything goes through `ws`. */
  readonly #direct: boolean;
  /** Whether every write asks to hear of its completion: see `#write`. */
  readonly #alwaysWatch: boolean;
  readonly #limits: Required<SendBufferLimits>;
  readonly #owner: SendBufferOwner;
  /** The callbacks below are made when first needed: a connection that keeps up never needs them, and a server holds thousands. */
  #written: (() => void) | undefined;
  #emptied: (() => void) | undefined;
  #watchingDrain = false;
  /** Whether reading from the socket is paused because too much is unsent: see the class comment. */
  #readingPaused = false;
  #resumeReading: (() => void) | undefined;
  /** Made when first needed, as the callbacks above. */
  #drainListeners: Array<() => void> | undefined;
  #overLimit: ReturnType<typeof setTimeout> | undefined;
  /** Writes of this connection waiting in the deferred queue. */
  #deferred = 0;

  /**
   * `owner` (the peer) is given up with a `slow-consumer` error when the
   * socket stayed over `maxSendBuffer` for `maxSendBufferTime`; the socket is
   * cut right after it.
   */
  constructor(socket: WebSocket, limits: SendBufferLimits, owner: SendBufferOwner) {
    this.#socket = socket;
    const internals = socket as unknown as WsInternals;
    // Only a server's frames are unmasked, and a compressed connection needs ws's own sender.
    this.#direct = internals._isServer === true && internals._extensions !== undefined && Object.keys(internals._extensions).length === 0;
    this.#tcp = internals._socket!;
    this.#limits = {
      sendHighWaterMark: limits.sendHighWaterMark ?? defaultSendBufferLimits.sendHighWaterMark,
      maxSendBuffer: limits.maxSendBuffer ?? defaultSendBufferLimits.maxSendBuffer,
      maxSendBufferTime: limits.maxSendBufferTime ?? defaultSendBufferLimits.maxSendBufferTime,
    };
    this.#owner = owner;
    // Below the socket's own mark a backlog need not make a write report `false`, so no 'drain' would follow.
    this.#alwaysWatch = this.#limits.sendHighWaterMark < this.#tcp.writableHighWaterMark;
  }

  send(frame: string): void {
    const framed = repeatedFrame(frame);
    if (this.#deferred > 0 || repeatCount() >= writesPerTurn) {
      this.#deferred++;
      return deferWrite(this, framed ?? frame);
    }
    this.#write(framed ?? frame);
  }

  /** Closes the socket once the frames sent before are written. */
  close(code: number, reason: string): void {
    if (this.#deferred === 0) return this.#socket.close(code, reason);
    this.#deferred++;
    deferWrite(this, { code, reason });
  }

  /** @internal A write whose turn came in the deferred queue. */
  writeDeferred(write: DeferredWrite): void {
    this.#deferred--;
    if (typeof write === 'object' && 'code' in write) this.#socket.close(write.code, write.reason);
    else this.#write(write);
    if (this.#drainListeners) this.#afterWrite();
  }

  /** Above the high-water mark, or frames still waiting their turn: the connection should be sent no DATA. */
  isBacklogged(): boolean {
    return this.#deferred >= maxWaitingFrames || this.#socket.bufferedAmount > this.#limits.sendHighWaterMark;
  }

  /** Calls `listener` once (never synchronously), when the unsent bytes are at or below the high-water mark again. */
  whenDrained(listener: () => void): void {
    if (!this.isBacklogged()) return queueMicrotask(listener);
    (this.#drainListeners ??= []).push(listener);
    // The writes before the first that queued did not ask to hear of their completion; the socket's 'drain' covers them.
    if (this.#watchingDrain) return;
    this.#watchingDrain = true;
    this.#emptied ??= () => {
      this.#watchingDrain = false;
      this.#afterWrite();
    };
    this.#tcp.once('drain', this.#emptied);
  }

  /** The socket closed: no limit applies any more. */
  closed(): void {
    this.#stopTimer();
    this.#drainListeners = undefined;
  }

  #write(frame: string | WireFrame): void {
    const socket = this.#socket;
    // Nothing goes out after a close; ws would only count it as buffered.
    if (socket.readyState !== open) return;
    const tcp = this.#tcp;
    // Asked only when something depends on it: see the class comment.
    const watch = this.#alwaysWatch || tcp.writableLength > 0 || this.#overLimit !== undefined || this.#drainListeners !== undefined;
    const done = watch ? (this.#written ??= () => this.#afterWrite()) : undefined;
    if (typeof frame === 'string') socket.send(frame, done);
    // Straight to the socket, one write, as a floor-level broadcast would.
    else if (this.#direct && this.#senderIdle()) tcp.write(frame.bytes, done);
    else socket.send(frame.payload, { binary: false }, done);
    const buffered = socket.bufferedAmount;
    if (buffered <= this.#limits.sendHighWaterMark) return;
    if (!this.#readingPaused) {
      this.#readingPaused = true;
      socket.pause();
      this.whenDrained(
        (this.#resumeReading ??= () => {
          this.#readingPaused = false;
          this.#socket.resume();
        }),
      );
    }
    if (this.#overLimit === undefined && buffered > this.#limits.maxSendBuffer) {
      this.#overLimit = setTimeout(() => this.#timeUp(), this.#limits.maxSendBufferTime);
      this.#overLimit.unref();
    }
  }

  /**
   * Whether ws's sender has nothing of its own waiting (it queues while it
   * compresses or reads a Blob): only then does a frame written straight to
   * the socket keep its place after the frames ws was given before.
   */
  #senderIdle(): boolean {
    const sender = (this.#socket as unknown as WsInternals)._sender;
    return sender?._state === 0 && sender._queue?.length === 0;
  }

  #afterWrite(): void {
    if (this.#overLimit === undefined && this.#drainListeners === undefined) return;
    const buffered = this.#socket.bufferedAmount;
    if (buffered <= this.#limits.maxSendBuffer) this.#stopTimer();
    if (this.isBacklogged() || this.#drainListeners === undefined) return;
    const listeners = this.#drainListeners;
    this.#drainListeners = undefined;
    for (const listener of listeners) listener();
  }

  #timeUp(): void {
    this.#overLimit = undefined;
    const { maxSendBuffer, maxSendBufferTime } = this.#limits;
    if (this.#socket.bufferedAmount > maxSendBuffer) {
      this.#owner.abort(new JugglerError('slow-consumer', `reading too slowly: over ${maxSendBuffer} bytes unsent for ${maxSendBufferTime} ms`));
      // A close frame would wait behind the whole backlog, and ws would hold it all for its 30 s closing timeout.
      this.#socket.terminate();
    }
  }

  #stopTimer(): void {
    clearTimeout(this.#overLimit);
    this.#overLimit = undefined;
  }
}
