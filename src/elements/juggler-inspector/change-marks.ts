import type { DataSource } from '../context.js';

/** How long a value that changed stays highlighted, in ms. */
export const highlightMs = 1000;
/** More marks than this at once (a flood of changes) and the oldest highlights are dropped: they are only a hint. */
const maxMarks = 10_000;

/**
 * When each place in the data last changed, for the highlight: a change marks
 * its path and every path above it, so a collapsed parent shows that something
 * inside it moved. Marks older than the highlight are pruned at each render,
 * so they follow the traffic of the last second, not the size of the data.
 */
export class ChangeMarks {
  readonly #at = new Map<string, number>();

  mark(source: DataSource, paths: readonly string[], now: number): void {
    for (let path of paths) {
      for (;;) {
        this.#at.delete(`${source}${path}`);
        this.#at.set(`${source}${path}`, now);
        if (path === '') break;
        path = path.slice(0, path.lastIndexOf('/'));
      }
    }
    // Oldest first, as a Map iterates in insertion order (a mark is moved to the end when renewed).
    for (const key of this.#at.keys()) {
      if (this.#at.size <= maxMarks) break;
      this.#at.delete(key);
    }
  }

  isChanged(source: DataSource, pointer: string, now: number): boolean {
    const at = this.#at.get(`${source}${pointer}`);
    return at !== undefined && now - at < highlightMs;
  }

  /** Forgets marks whose highlight is over; returns whether any highlight is still on. */
  prune(now: number): boolean {
    for (const [key, at] of this.#at) {
      if (now - at < highlightMs) break;
      this.#at.delete(key);
    }
    return this.#at.size > 0;
  }
}
