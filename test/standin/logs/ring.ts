import { type NanoTime, compareNanoTime } from './timestamps';

export interface LogLine {
  readonly time: NanoTime;
  readonly text: string;
}

/**
 * A bounded, append-only window over a container's log: the newest `capacity` lines. Lines arrive
 * in time order, so `since` can binary-search.
 */
export class LogRing {
  private readonly lines: LogLine[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new Error(`LogRing capacity must be positive, got ${capacity}`);
  }

  get size(): number {
    return this.lines.length - this.start;
  }

  append(batch: readonly LogLine[]): void {
    for (const line of batch) this.lines.push(line);
    const excess = this.size - this.capacity;
    if (excess > 0) this.start += excess;
    // Compact once the dead prefix dominates, so memory stays O(capacity) with O(1) amortised appends.
    if (this.start > this.capacity) {
      this.lines.splice(0, this.start);
      this.start = 0;
    }
  }

  /** The stored lines at or after `since` (all when null), then only the last `tail` of them. */
  select(since: NanoTime | null, tail: number | null): LogLine[] {
    let from = this.start;
    if (since) {
      let lo = this.start;
      let hi = this.lines.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareNanoTime(this.lines[mid].time, since) < 0) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    if (tail !== null) from = Math.max(from, this.lines.length - tail);
    return this.lines.slice(from);
  }
}
