import type { ConnectionStatus } from '../../core/events.js';
import type { FrameSummary, RpcFrame } from './frame-summary.js';

/** Status changes kept for the history. */
const maxHistory = 50;
/** Calls of ours timed for the round trip; beyond this the oldest is forgotten (it may never be answered). */
const maxTimedCalls = 100;

/** A status the connection took, and when (`Date.now()`). */
export interface StatusChange {
  readonly status: ConnectionStatus;
  readonly at: number;
}

/** Frames and bytes in one direction. */
export interface Counts {
  frames: number;
  bytes: number;
}

/**
 * What the inspector shows about the connection over time: totals, frames and
 * bytes per second (over the last whole second), round-trip time, status
 * history and reconnects. Fixed-size whatever the traffic.
 */
export class ConnectionStats {
  readonly total = { in: { frames: 0, bytes: 0 }, out: { frames: 0, bytes: 0 } };
  /** The second being counted, and the one before it (what the rate shows). */
  #second = { start: 0, frames: 0, bytes: 0 };
  #lastSecond = { frames: 0, bytes: 0 };
  /** The last round trip in ms, and what it was measured on. */
  rtt: { ms: number; from: 'ping' | 'call' } | undefined;
  #pingSent: number | undefined;
  readonly #calls = new Map<number, number>();
  readonly history: StatusChange[] = [];
  reconnects = 0;

  /** Counts a frame; `now` is `performance.now()`. */
  frame(summary: FrameSummary, rpc: RpcFrame | undefined, now: number): void {
    const counts = this.total[summary.direction];
    counts.frames++;
    counts.bytes += summary.bytes;
    this.#roll(now);
    this.#second.frames++;
    this.#second.bytes += summary.bytes;
    this.#time(summary, rpc, now);
  }

  /** Frames and bytes per second, both directions, over the last whole second. */
  rate(now: number): Counts {
    this.#roll(now);
    return { ...this.#lastSecond };
  }

  status(status: ConnectionStatus, previous: ConnectionStatus | undefined): void {
    if (status === 'open' && previous === 'reconnecting') this.reconnects++;
    // A new connection: its call ids start again from 1, and a PING of the old one is never answered.
    if (status !== 'open') {
      this.#calls.clear();
      this.#pingSent = undefined;
    }
    this.history.push({ status, at: Date.now() });
    if (this.history.length > maxHistory) this.history.shift();
  }

  /** Round trips: a PING to the next PONG, a call of ours to its answer. */
  #time(summary: FrameSummary, rpc: RpcFrame | undefined, now: number): void {
    const { direction, type } = summary;
    if (direction === 'out' && type === 'PING') this.#pingSent ??= now;
    else if (direction === 'in' && type === 'PONG' && this.#pingSent !== undefined) {
      this.rtt = { ms: now - this.#pingSent, from: 'ping' };
      this.#pingSent = undefined;
    } else if (rpc && direction === 'out' && rpc.direction === 'request') {
      this.#calls.set(rpc.id, now);
      if (this.#calls.size > maxTimedCalls) this.#calls.delete(this.#calls.keys().next().value!);
    } else if (rpc && direction === 'in' && rpc.direction === 'response') {
      const sent = this.#calls.get(rpc.id);
      if (sent === undefined) return;
      this.#calls.delete(rpc.id);
      this.rtt = { ms: now - sent, from: 'call' };
    }
  }

  #roll(now: number): void {
    const elapsed = now - this.#second.start;
    if (elapsed < 1000) return;
    // A second or more with no frame at all since the one counted: the rate is zero.
    this.#lastSecond = elapsed < 2000 ? { frames: this.#second.frames, bytes: this.#second.bytes } : { frames: 0, bytes: 0 };
    this.#second = { start: now - (elapsed % 1000), frames: 0, bytes: 0 };
  }
}
