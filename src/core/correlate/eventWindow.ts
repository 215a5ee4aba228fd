/** A first-in first-out window of recent Envoy events, dropped from the front as time passes. */

import type { ConnectionRecord } from './connections';
import type { EnvoyItem } from './scan';

export interface StoredEvent {
  readonly item: EnvoyItem;
  /** The event's connection, when it has an id. */
  readonly connection: ConnectionRecord | null;
}

export class EventWindow {
  private items: StoredEvent[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(event: StoredEvent): void {
    this.items.push(event);
  }

  /** Drops events from the front that ended before `cutoffMs` (lines arrive in roughly time order). */
  evictBefore(cutoffMs: number): void {
    while (this.head < this.items.length && this.items[this.head]!.item.event.endMs < cutoffMs) this.head++;
    this.compact();
  }

  /** Lets go of dropped events once they are a quarter of the storage: they hold whole log lines. */
  private compact(): void {
    if (this.head > 4096 && this.head * 4 > this.items.length) {
      this.items = this.items.slice(this.head);
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

  *between(fromMs: number, toMs: number): Iterable<StoredEvent> {
    for (let i = this.head; i < this.items.length; i++) {
      const stored = this.items[i]!;
      const t = stored.item.event.endMs;
      if (t >= fromMs && t <= toMs) yield stored;
    }
  }
}
