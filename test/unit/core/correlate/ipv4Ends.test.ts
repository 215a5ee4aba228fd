import * as assert from 'node:assert/strict';
import { RecentIpv4Ends } from '../../../../src/core/correlate/ipv4Ends';
import type { StoredEvent } from '../../../../src/core/correlate/eventWindow';
import { SeededRandom } from '../../../corpus/random';

describe('RecentIpv4Ends', () => {
  it('answers like a map for every key among its last `capacity` records, and forgets older ones', () => {
    const rng = new SeededRandom(11);
    const capacity = 200;
    const ends = new RecentIpv4Ends(capacity);
    const truth = new Map<number, { endMs: number; podId: number; failed: StoredEvent | null }>();
    const order: number[] = [];
    const failure = { item: {}, connection: null } as unknown as StoredEvent;
    for (let i = 0; i < 20_000; i++) {
      // Keys near the top of the 48-bit range and clustered ports, so probes collide.
      const key = 2 ** 48 - 1 - rng.int(0, 400) * 65536 - rng.int(0, 3);
      const value = { endMs: i * 1.5, podId: rng.int(-1, 5), failed: rng.chance(0.05) ? failure : null };
      ends.set(key, value.endMs, value.podId, value.failed);
      truth.set(key, value);
      order.push(key);
      if (i % 97 === 0) {
        const recent = new Set<number>();
        for (let k = order.length - 1; k >= 0 && k >= order.length - capacity; k--) recent.add(order[k]!);
        for (const k of recent) assert.deepEqual(ends.get(k), truth.get(k), `key ${k} after ${i} sets`);
        // A key last recorded before the last `capacity` records is gone.
        const older = order.slice(0, Math.max(0, order.length - capacity)).filter((k) => !recent.has(k));
        for (const k of older.slice(-5)) assert.equal(ends.get(k), undefined, `key ${k} after ${i} sets`);
      }
    }
    assert.equal(ends.get(12345), undefined);
  });
});
