/**
 * Resets waiting for the window after them to pass, kept in time order so the due ones are taken
 * from the front: a log of a million resets costs a million steps, not a million times the number
 * waiting.
 */

import type { ResetItem } from './scan';

export interface PendingReset {
  readonly item: ResetItem;
  readonly timeMs: number;
}

export class PendingResets {
  private items: PendingReset[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The earliest time waiting, or null when none is. */
  get earliestMs(): number | null {
    return this.head < this.items.length ? this.items[this.head]!.timeMs : null;
  }

  /** Adds a reset; lines arrive in roughly time order, so this is nearly always an append. */
  add(reset: PendingReset): void {
    let at = this.items.length;
    while (at > this.head && this.items[at - 1]!.timeMs > reset.timeMs) at--;
    if (at === this.items.length) this.items.push(reset);
    else this.items.splice(at, 0, reset);
  }

  /**
   * Replaces a waiting reset of the same record (a later line of it showed more); false when none
   * waits. Only the last few are searched: a record's lines are read together.
   */
  replace(reset: PendingReset): boolean {
    for (let i = this.items.length - 1; i >= this.head && i >= this.items.length - 64; i--) {
      const waiting = this.items[i]!.item;
      if (waiting.file === reset.item.file && waiting.line === reset.item.line) {
        this.items[i] = { item: reset.item, timeMs: this.items[i]!.timeMs };
        return true;
      }
    }
    return false;
  }

  /** Removes and returns, earliest first, the resets before `cutoffMs` and then the oldest beyond `max` waiting. */
  takeDue(cutoffMs: number, max = Infinity): PendingReset[] {
    const from = this.head;
    while (this.head < this.items.length && (this.items[this.head]!.timeMs < cutoffMs || this.size > max)) this.head++;
    const due = this.items.slice(from, this.head);
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return due;
  }
}
