import * as assert from 'node:assert/strict';
import { MarkedLineScanner, type PreviousLine } from '../../../src/core/logs/chunkLines';

interface Seen {
  raw: string;
  line: number;
  before: PreviousLine[];
}

function scanInChunks(text: string, chunkSize: number, markers: string[]): { seen: Seen[]; lines: number } {
  const seen: Seen[] = [];
  const scanner = new MarkedLineScanner(markers, (raw, line, lookBack) => seen.push({ raw, line, before: [...lookBack()].slice(0, 3) }));
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) scanner.push(bytes.subarray(i, i + chunkSize));
  scanner.end();
  return { seen, lines: scanner.linesRead };
}

describe('MarkedLineScanner', () => {
  const text = ['alpha', 'beta connect', 'gamma', 'délta reset é', '', 'epsilon', 'zeta connect reset', 'last connect'].join('\n');

  for (const chunkSize of [1, 3, 7, 64, 4096]) {
    it(`finds marked lines with their 1-based numbers and earlier lines (chunks of ${chunkSize} bytes)`, () => {
      const { seen, lines } = scanInChunks(text, chunkSize, ['connect', 'reset']);
      assert.equal(lines, 8);
      assert.deepEqual(
        seen.map((s) => [s.line, s.raw]),
        [
          [2, 'beta connect'],
          [4, 'délta reset é'],
          [7, 'zeta connect reset'],
          [8, 'last connect'],
        ],
      );
      assert.deepEqual(seen[1]!.before, [
        { raw: 'gamma', line: 3 },
        { raw: 'beta connect', line: 2 },
        { raw: 'alpha', line: 1 },
      ]);
      assert.deepEqual(seen[2]!.before[0], { raw: 'epsilon', line: 6 });
    });
  }

  it('copes with a line of several megabytes split over many chunks', () => {
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const { seen, lines } = scanInChunks(`first connect\n${huge}\nafter connect\n`, 64 * 1024, ['connect']);
    assert.equal(lines, 3);
    assert.deepEqual(
      seen.map((s) => [s.line, s.raw]),
      [
        [1, 'first connect'],
        [3, 'after connect'],
      ],
    );
  });

  it('reports nothing, but counts lines, when no marker occurs', () => {
    const { seen, lines } = scanInChunks('a\nb\nc\n', 2, ['zzz']);
    assert.equal(seen.length, 0);
    assert.equal(lines, 3);
  });
});
