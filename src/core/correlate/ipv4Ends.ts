/**
 * The connection ends ConnectionEnds remembers for IPv4 clients (nearly all of them): the last
 * `capacity` recorded, in a ring of typed arrays. A record is written at every access-log line of
 * a gigabyte log, while an end is looked up only for a reset: so recording is a sequential write
 * (a Map keyed by 48-bit numbers, heap numbers to V8, cost more per line than reading the line, and
 * a hash table in typed arrays still missed the cache on every line), and a lookup walks the ring
 * back from the newest record, which costs a few tens of microseconds per reset.
 */

import type { StoredEvent } from './eventWindow';

export interface Ipv4End {
  readonly endMs: number;
  /** The pod's id (PodIds), -1 for none. */
  readonly podId: number;
  readonly failed: StoredEvent | null;
}

export class RecentIpv4Ends {
  private readonly keys: Float64Array;
  private readonly ends: Float64Array;
  private readonly pods: Int32Array;
  /** The access-log line, where it records a failure. */
  private readonly failed: (StoredEvent | null)[];
  /** Where the next record goes. */
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.pods = new Int32Array(capacity);
    this.failed = new Array<StoredEvent | null>(capacity).fill(null);
  }

  /** The newest record of `key`, among the last `capacity`. */
  get(key: number): Ipv4End | undefined {
    const { keys, capacity } = this;
    for (let k = 1; k <= this.size; k++) {
      const i = (this.next - k + capacity) % capacity;
      if (keys[i] === key) return { endMs: this.ends[i]!, podId: this.pods[i]!, failed: this.failed[i]! };
    }
    return undefined;
  }

  set(key: number, endMs: number, podId: number, failed: StoredEvent | null): void {
    const i = this.next;
    this.keys[i] = key;
    this.ends[i] = endMs;
    this.pods[i] = podId;
    if (failed !== null || this.failed[i] !== null) this.failed[i] = failed;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
  }
}
