/**
 * A first-in first-out window of recent Envoy events, dropped from the front as time passes.
 *
 * Events arrive nearly in time order (inputs are merged by time, but one file's lines may be a
 * little out of order), and a query for a time range must not walk the whole window: in a flood,
 * where a few seconds hold tens of thousands of events, that made every reset cost the whole
 * window and the run quadratic. So the window keeps, beside each event, the latest end seen up to
 * it (`reach`, never decreasing: binary search finds where a range can start) and how far any
 * event has lagged behind that (`lag`: once `reach` passes a range's end by more than it, no later
 * event can fall inside). Both bounds are exact, whatever the disorder.
 */

import type { ConnectionRecord } from './connections';
import type { EnvoyItem } from './scan';

export interface StoredEvent {
  readonly item: EnvoyItem;
  /** The event's connection, when it has an id. */
  readonly connection: ConnectionRecord | null;
}

/** `T`: what is kept of each event (a stored event, or only its pod for a successful request). */
export class EventWindow<T = StoredEvent> {
  private items: T[] = [];
  private reach: number[] = [];
  /** Each event's end, beside it: a range query reads these, not three objects deep per event. */
  private ends: number[] = [];
  private head = 0;
  private lag = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(event: T, end: number): void {
    const before = this.reach.length > this.head ? this.reach[this.reach.length - 1]! : -Infinity;
    if (end < before) this.lag = Math.max(this.lag, before - end);
    this.items.push(event);
    this.ends.push(end);
    this.reach.push(Math.max(before, end));
  }

  /** Drops events from the front that ended before `cutoffMs` (lines arrive in roughly time order). */
  evictBefore(cutoffMs: number): void {
    while (this.head < this.items.length && this.ends[this.head]! < cutoffMs) this.head++;
    this.compact();
  }

  /** Lets go of dropped events once they are a quarter of the storage: they hold whole log lines. */
  private compact(): void {
    if (this.head > 4096 && this.head * 4 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.reach = this.reach.slice(this.head);
      this.ends = this.ends.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops the oldest events beyond `max`; returns how many were dropped. */
  capAt(max: number): number {
    const excess = this.size - max;
    if (excess <= 0) return 0;
    this.head += excess;
    this.compact();
    return excess;
  }

  /** The first index whose `reach` is at least `ms` (`strictly`: above it), or the end. */
  private firstReaching(ms: number, strictly = false): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.reach[mid]!;
      if (r < ms || (strictly && r === ms)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Where the events that may end within `[fromMs, toMs]` lie, as indices `[start, stop)`: before
   * `start` every event ended before `fromMs`; after an event whose reach passes `toMs + lag`,
   * every later one ends after `toMs`.
   */
  private span(fromMs: number, toMs: number): { start: number; stop: number } {
    const start = this.firstReaching(fromMs);
    const stop = Math.min(this.items.length, this.firstReaching(toMs + this.lag, true) + 1);
    return { start, stop: Math.max(start, stop) };
  }

  between(fromMs: number, toMs: number): Iterable<T> {
    const { start, stop } = this.span(fromMs, toMs);
    return this.inRange(start, stop, fromMs, toMs);
  }

  /**
   * The events ending within `[fromMs, toMs]`, but of a range holding more than `max` events only
   * the `max` nearest in order to `nearMs`; `complete` says whether that was all of them.
   */
  around(nearMs: number, fromMs: number, toMs: number, max: number): { events: Iterable<T>; complete: boolean } {
    const { start, stop } = this.span(fromMs, toMs);
    if (stop - start <= max) return { events: this.inRange(start, stop, fromMs, toMs), complete: true };
    const half = max >>> 1;
    const from = Math.min(Math.max(this.firstReaching(nearMs) - half, start), stop - max);
    return { events: this.inRange(from, from + max, fromMs, toMs), complete: false };
  }

  /** How many events ending within `[fromMs, toMs]` `accept` takes. */
  count(fromMs: number, toMs: number, accept: (event: T) => boolean): number {
    const { start, stop } = this.span(fromMs, toMs);
    const ends = this.ends;
    let n = 0;
    for (let i = start; i < stop; i++) {
      const t = ends[i]!;
      if (t >= fromMs && t <= toMs && accept(this.items[i]!)) n++;
    }
    return n;
  }

  private *inRange(start: number, stop: number, fromMs: number, toMs: number): Iterable<T> {
    const ends = this.ends;
    for (let i = start; i < stop; i++) {
      const t = ends[i]!;
      if (t >= fromMs && t <= toMs) yield this.items[i]!;
    }
  }
}
