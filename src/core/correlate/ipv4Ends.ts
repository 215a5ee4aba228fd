/**
 * The connection ends ConnectionEnds remembers for IPv4 clients (nearly all of them), in typed
 * arrays: a Map keyed by 48-bit numbers (heap numbers to V8, not small integers) cost more per
 * access-log line than reading the line, and its entries kept the old generation busy. Like
 * RecentMap it remembers the most recent keys in two generations, dropping the older one whole.
 *
 * Each generation is an open-addressing table (linear probing) at most three eighths full, its
 * key, end and pod side by side in one array so that a probe touches one cache line.
 */

import type { StoredEvent } from './eventWindow';

const EMPTY = -1;
/** Key, end, pod id: one slot's numbers. */
const STRIDE = 3;

class Generation {
  readonly slots: Float64Array;
  /** The access-log lines that record a failure, by slot: few, so a Map. */
  readonly failed = new Map<number, StoredEvent>();
  size = 0;

  constructor(readonly capacity: number) {
    this.slots = new Float64Array(capacity * STRIDE).fill(EMPTY);
  }

  /** Where the slot holding `key` starts in `slots`, or the empty slot where it would go. */
  slotOf(key: number): number {
    const mask = this.capacity - 1;
    const high = Math.floor(key / 65536);
    let slot = (Math.imul(high ^ Math.imul(key - high * 65536, 0x85ebca6b), 0x9e3779b1) >>> 8) & mask;
    const slots = this.slots;
    for (let k = slots[slot * STRIDE]!; k !== key && k !== EMPTY; k = slots[slot * STRIDE]!) slot = (slot + 1) & mask;
    return slot * STRIDE;
  }

  clear(): void {
    this.slots.fill(EMPTY);
    this.failed.clear();
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
    while (slots * 3 < this.perGeneration * 8) slots *= 2;
    this.current = new Generation(slots);
    this.previous = new Generation(slots);
  }

  get(key: number): Ipv4End | undefined {
    for (const generation of [this.current, this.previous]) {
      const at = generation.slotOf(key);
      const slots = generation.slots;
      if (slots[at] === key) return { endMs: slots[at + 1]!, podId: slots[at + 2]!, failed: generation.failed.get(at) ?? null };
    }
    return undefined;
  }

  set(key: number, endMs: number, podId: number, failed: StoredEvent | null): void {
    let generation = this.current;
    let at = generation.slotOf(key);
    if (generation.slots[at] !== key) {
      if (generation.size >= this.perGeneration) {
        const dropped = this.previous;
        dropped.clear();
        this.previous = generation;
        this.current = generation = dropped;
        at = generation.slotOf(key);
      }
      generation.slots[at] = key;
      generation.size++;
    }
    generation.slots[at + 1] = endMs;
    generation.slots[at + 2] = podId;
    if (failed !== null) generation.failed.set(at, failed);
    else if (generation.failed.size > 0) generation.failed.delete(at);
  }
}
