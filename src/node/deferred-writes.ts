import { resetRepeats, type WireFrame } from './repeated-frame.js';

/** Where a deferred write goes: the connection that asked for it. */
export interface DeferredWriter {
  /** Writes what was deferred, now, in the order it was asked for. */
  writeDeferred(write: DeferredWrite): void;
}

/** A frame (text, or built once) or a close, waiting its turn. */
export type DeferredWrite = string | WireFrame | { code: number; reason: string };

/**
 * Sockets written per turn of the event loop once a broadcast is large: a
 * fan-out to 10,000 connections then lets incoming frames, new connections and
 * timers run every few milliseconds instead of waiting for the whole of it.
 */
export const writesPerTurn = 500;

const writers: Array<DeferredWriter | undefined> = [];
const writes: Array<DeferredWrite | undefined> = [];
let next = 0;
let scheduled = false;

/**
 * Queues a write for a later turn. One queue for the process, written in
 * order: a connection with a write queued here queues everything after it
 * here too, so it never receives frames out of order.
 */
export function deferWrite(writer: DeferredWriter, write: DeferredWrite): void {
  writers.push(writer);
  writes.push(write);
  if (scheduled) return;
  scheduled = true;
  setImmediate(writeSome);
}

function writeSome(): void {
  const end = Math.min(writers.length, next + writesPerTurn);
  try {
    for (; next < end; next++) {
      const writer = writers[next]!;
      const write = writes[next]!;
      // Cleared as it goes: a closed connection's socket is not held until the queue empties.
      writers[next] = writes[next] = undefined;
      writer.writeDeferred(write);
    }
  } finally {
    // A write that threw is dropped; the rest still go out.
    if (next < end) next++;
    if (next < writers.length) {
      setImmediate(writeSome);
    } else {
      writers.length = writes.length = next = 0;
      scheduled = false;
      // The broadcast is out: the next one writes its first sockets at once again.
      resetRepeats();
    }
  }
}
