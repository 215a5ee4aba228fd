import * as assert from 'node:assert/strict';
import { EventWindow, type StoredEvent } from '../../../../src/core/correlate/eventWindow';
import type { EnvoyItem } from '../../../../src/core/correlate/scan';
import { SeededRandom } from '../../../corpus/random';

function stored(endMs: number, line: number): StoredEvent {
  return { item: { type: 'envoy', event: { endMs } as EnvoyItem['event'], pod: null, file: 'envoy.log', line, text: '' }, connection: null };
}

const linesOf = (events: Iterable<StoredEvent>): number[] => [...events].map((s) => s.item.line);

describe('EventWindow', () => {
  it('finds exactly the events of a time range, however far out of order they arrived', () => {
    const rng = new SeededRandom(7);
    for (let round = 0; round < 20; round++) {
      const window = new EventWindow();
      const all: StoredEvent[] = [];
      let t = 1_000_000;
      for (let i = 0; i < 2000; i++) {
        t += rng.int(0, 5);
        // Mostly in order; now and then a line written late, by up to a few seconds.
        const end = rng.chance(0.05) ? t - rng.int(0, 3000) : t;
        const s = stored(end, i);
        all.push(s);
        window.push(s, s.item.event.endMs);
      }
      if (round % 2 === 1) window.evictBefore(1_000_000 + 2000);
      for (let q = 0; q < 50; q++) {
        const from = rng.int(999_000, t + 500);
        const to = from + rng.int(0, 800);
        const expected = all.filter((s) => s.item.event.endMs >= from && s.item.event.endMs <= to && (round % 2 === 0 || all.indexOf(s) >= firstKept(all, 1_002_000)));
        assert.deepEqual(linesOf(window.between(from, to)), linesOf(expected), `round ${round}, [${from}, ${to}]`);
      }
    }
  });

  it('in a flood, weighs only the events nearest in order to the moment asked about', () => {
    const window = new EventWindow();
    for (let i = 0; i < 10_000; i++) { const s = stored(5000 + Math.floor(i / 10), i); window.push(s, s.item.event.endMs); }
    const all = window.around(5500, 0, 100_000, 20_000);
    assert.equal(all.complete, true);
    assert.equal([...all.events].length, 10_000);
    const near = window.around(5500, 0, 100_000, 100);
    assert.equal(near.complete, false);
    const lines = linesOf(near.events);
    assert.equal(lines.length, 100);
    assert.ok(lines.includes(5000), 'the events at the moment itself are among them');
    assert.ok(lines.every((l) => Math.abs(l - 5000) <= 100));
    const atEdge = linesOf(window.around(0, 0, 100_000, 100).events);
    assert.deepEqual(atEdge, Array.from({ length: 100 }, (_, i) => i), 'a moment before every event takes the first ones');
  });
});

/** The index of the first event the window keeps after evicting those that ended before `cutoff` (front only). */
function firstKept(all: readonly StoredEvent[], cutoff: number): number {
  let i = 0;
  while (i < all.length && all[i]!.item.event.endMs < cutoff) i++;
  return i;
}
