import * as assert from 'node:assert/strict';
import { RecentMap } from '../../../../src/core/correlate/recentMap';

describe('RecentMap', () => {
  it('keeps the most recently set keys, between half the capacity and the capacity', () => {
    const map = new RecentMap<string, number>(1000);
    for (let i = 0; i < 60_000; i++) map.set(`10.0.0.1:${i}`, i);
    for (let i = 60_000 - 500; i < 60_000; i++) assert.equal(map.get(`10.0.0.1:${i}`), i);
    let remembered = 0;
    for (let i = 0; i < 60_000; i++) if (map.get(`10.0.0.1:${i}`) !== undefined) remembered++;
    assert.ok(remembered >= 500 && remembered <= 1000, `${remembered} remembered`);
    assert.equal(map.get('10.0.0.1:0'), undefined);
  });

  it('refreshes a key set again, so a busy key outlives quieter ones', () => {
    const map = new RecentMap<string, number>(10);
    map.set('busy', 0);
    for (let i = 0; i < 100; i++) {
      map.set(`quiet-${i}`, i);
      map.set('busy', i);
    }
    assert.equal(map.get('busy'), 99);
    assert.equal(map.get('quiet-0'), undefined);
  });
});
