import type { FrameSummary } from './frame-summary.js';

/** One frame in the log: its summary, when it passed, and an id that stays with it while it is shown. */
export interface LogEntry extends FrameSummary {
  readonly id: number;
  /** `performance.now()` when the frame passed. */
  readonly time: number;
}

/** Which entries to show: a frame type (or every type) and text to find in the frame. */
export interface LogFilter {
  type: string;
  text: string;
}

/**
 * The newest frames, at most `max`: the oldest go as new ones come, so the log
 * holds a bounded amount whatever the traffic. Paused, it records nothing.
 */
export class TrafficLog {
  #entries: LogEntry[] = [];
  #nextId = 1;
  #max: number;
  paused = false;

  constructor(max: number) {
    this.#max = max;
  }

  get max(): number {
    return this.#max;
  }
  set max(max: number) {
    this.#max = max;
    this.#trim();
  }

  get entries(): readonly LogEntry[] {
    return this.#entries;
  }

  add(summary: FrameSummary, time: number): void {
    if (this.paused) return;
    this.#entries.push({ ...summary, id: this.#nextId++, time });
    this.#trim();
  }

  clear(): void {
    this.#entries = [];
  }

  /** The entries `filter` lets through, oldest first. */
  filtered({ type, text }: LogFilter): readonly LogEntry[] {
    if (!type && !text) return this.#entries;
    const needle = text.toLowerCase();
    return this.#entries.filter(
      (entry) => (!type || entry.type === type) && (!needle || entry.preview.toLowerCase().includes(needle) || (entry.call?.includes(needle) ?? false)),
    );
  }

  #trim(): void {
    const excess = this.#entries.length - this.#max;
    if (excess > 0) this.#entries.splice(0, excess);
  }
}
