/**
 * The connection ends ConnectionEnds remembers for IPv4 clients (nearly all of them), in typed
 * arrays: a Map keyed by 48-bit numbers (heap numbers to V8, not small integers) cost more per
 * access-log line than reading the line, and its entries kept the old generation busy. Like
 * RecentMap it remembers the most recent keys in two generations, dropping the older one whole.
 *
 * Each generation is an open-addressing table (linear probing) four times the size of what it
 * holds, so a probe rarely goes past the first slot.
 */

import type { StoredEvent } from './eventWindow';

const EMPTY = -1;

class Generation {
  readonly keys: Float64Array;
  readonly ends: Float64Array;
  readonly pods: Int32Array;
  /** The access-log line, where it records a failure: few, so an ordinary array. */
  readonly failed: (StoredEvent | null)[];
  size = 0;

  constructor(readonly slots: number) {
    this.keys = new Float64Array(slots).fill(EMPTY);
    this.ends = new Float64Array(slots);
    this.pods = new Int32Array(slots);
    this.failed = new Array<StoredEvent | null>(slots).fill(null);
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  slotOf(key: number): number {
    const mask = this.slots - 1;
    const high = Math.floor(key / 65536);
    let slot = (Math.imul(high ^ Math.imul(key - high * 65536, 0x85ebca6b), 0x9e3779b1) >>> 8) & mask;
    while (this.keys[slot] !== key && this.keys[slot] !== EMPTY) slot = (slot + 1) & mask;
    return slot;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.failed.fill(null);
    this.size = 0;
  }
}

export interface Ipv4End {
  readonly endMs: number;
  /** The pod's id (PodIds), -1 for none. */
  readonly podId: number;
  readonly failed: StoredEvent | null;
}

export class RecentIpv4Ends {
  private current: Generation;
  private previous: Generation;
  private readonly perGeneration: number;

  /** Remembers at least `capacity / 2` and at most `capacity` keys. */
  constructor(capacity: number) {
    this.perGeneration = Math.max(1, Math.floor(capacity / 2));
    let slots = 1;
    while (slots < this.perGeneration * 4) slots *= 2;
    this.current = new Generation(slots);
    this.previous = new Generation(slots);
  }

  get(key: number): Ipv4End | undefined {
    for (const generation of [this.current, this.previous]) {
      const slot = generation.slotOf(key);
      if (generation.keys[slot] === key) return { endMs: generation.ends[slot]!, podId: generation.pods[slot]!, failed: generation.failed[slot]! };
    }
    return undefined;
  }

  set(key: number, endMs: number, podId: number, failed: StoredEvent | null): void {
    let generation = this.current;
    let slot = generation.slotOf(key);
    if (generation.keys[slot] !== key) {
      if (generation.size >= this.perGeneration) {
        const dropped = this.previous;
        dropped.clear();
        this.previous = generation;
        this.current = generation = dropped;
        slot = generation.slotOf(key);
      }
      generation.keys[slot] = key;
      generation.size++;
    }
    generation.ends[slot] = endMs;
    generation.pods[slot] = podId;
    generation.failed[slot] = failed;
  }
}
