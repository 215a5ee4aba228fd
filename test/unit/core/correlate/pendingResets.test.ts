import * as assert from 'node:assert/strict';
import { PendingResets } from '../../../../src/core/correlate/pendingResets';
import type { ResetItem } from '../../../../src/core/correlate/scan';

const reset = (timeMs: number): { item: ResetItem; timeMs: number } => ({ item: { line: timeMs } as unknown as ResetItem, timeMs });

describe('pending resets', () => {
  it('hands out the due resets earliest first, also when lines arrived out of order', () => {
    const pending = new PendingResets();
    for (const t of [10, 30, 20, 40, 5]) pending.add(reset(t));
    assert.equal(pending.earliestMs, 5);
    assert.deepEqual(pending.takeDue(25).map((p) => p.timeMs), [5, 10, 20]);
    assert.equal(pending.size, 2);
    assert.equal(pending.earliestMs, 30);
  });

  it('hands out the oldest beyond a maximum, so memory stays bounded', () => {
    const pending = new PendingResets();
    for (let t = 0; t < 10; t++) pending.add(reset(t));
    assert.deepEqual(pending.takeDue(-Infinity, 7).map((p) => p.timeMs), [0, 1, 2]);
    assert.equal(pending.size, 7);
    assert.deepEqual(pending.takeDue(Infinity).map((p) => p.timeMs), [3, 4, 5, 6, 7, 8, 9]);
    assert.equal(pending.earliestMs, null);
  });
});
