import * as assert from 'node:assert/strict';
import { linesToHighlight } from '../../../src/tail/visibleLines';

describe('log file highlighting: which lines', () => {
  it('takes the visible lines and a margin around them, within the document', () => {
    assert.deepEqual(linesToHighlight([{ start: 100, end: 140 }], 10_000, 50, 2000), [{ start: 50, end: 190 }]);
    assert.deepEqual(linesToHighlight([{ start: 0, end: 10 }], 30, 50, 2000), [{ start: 0, end: 29 }]);
    assert.deepEqual(linesToHighlight([], 30, 50, 2000), []);
    assert.deepEqual(linesToHighlight([{ start: 0, end: 0 }], 0, 50, 2000), []);
  });

  it('merges ranges that overlap (folded regions) and never takes more lines than the cap, however many a huge log shows', () => {
    assert.deepEqual(linesToHighlight([{ start: 300, end: 320 }, { start: 100, end: 120 }, { start: 150, end: 160 }], 1_000_000, 50, 2000), [
      { start: 50, end: 210 },
      { start: 250, end: 370 },
    ]);
    const many = Array.from({ length: 1000 }, (_, i) => ({ start: i * 1000, end: i * 1000 + 60 }));
    const spans = linesToHighlight(many, 50_000_000, 50, 2000);
    assert.equal(spans.reduce((n, s) => n + s.end - s.start + 1, 0), 2000);
    assert.deepEqual(spans[0], { start: 0, end: 110 });
  });
});
