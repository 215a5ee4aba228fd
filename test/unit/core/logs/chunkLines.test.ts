import * as assert from 'node:assert/strict';
import { MarkedLineScanner, type PreviousLine } from '../../../../src/core/logs/chunkLines';
import { WasmMarkerSearch } from '../../../../src/core/logs/logScan';

interface Seen {
  raw: string;
  line: number;
  before: PreviousLine[];
  offset: number;
}

function searchFor(markers: readonly string[]): WasmMarkerSearch {
  return new WasmMarkerSearch(markers.map((text) => ({ text })));
}

function scanInChunks(text: string, chunkSize: number, markers: string[]): { seen: Seen[]; lines: number } {
  const seen: Seen[] = [];
  const scanner = new MarkedLineScanner(searchFor(markers), (raw, line, lookBack, offset) => seen.push({ raw, line, before: [...lookBack()].slice(0, 3), offset }));
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
      // Offsets are byte positions of the line starts (é takes two bytes).
      assert.deepEqual(seen.map((s) => s.offset), [6, 25, 50, 69]);
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
    // The offset counts every byte of the long line, though only its start is kept.
    assert.equal(seen[1]!.offset, 'first connect\n'.length + huge.length + 1);
  });

  it('keeps look-back right across chunks after its storage has been reused many times', () => {
    const all = Array.from({ length: 60_000 }, (_, i) => (i % 997 === 0 ? `line ${i} connect` : `line ${i} quiet`));
    const { seen, lines } = scanInChunks(all.join('\n'), 64 * 1024 + 3, ['connect']);
    assert.equal(lines, all.length);
    assert.equal(seen.length, Math.ceil(all.length / 997));
    for (const s of seen.slice(1)) {
      assert.equal(s.raw, all[s.line - 1]);
      assert.deepEqual(
        s.before,
        [1, 2, 3].map((k) => ({ raw: all[s.line - 1 - k], line: s.line - k })),
      );
    }
  });

  it('keeps no earlier chunks for look-back when told to (callers that read back by offset)', () => {
    const before: string[][] = [];
    const scanner = new MarkedLineScanner(searchFor(['hit']), (_raw, _line, lookBack) => before.push([...lookBack()].map((p) => p.raw)), 0);
    scanner.push(Buffer.from('one\ntwo\n'));
    scanner.push(Buffer.from('three\nhit\n'));
    scanner.end();
    assert.deepEqual(before, [['three']]);
    assert.equal(scanner.linesRead, 4);
  });

  it('reports nothing, but counts lines, when no marker occurs', () => {
    const { seen, lines } = scanInChunks('a\nb\nc\n', 2, ['zzz']);
    assert.equal(seen.length, 0);
    assert.equal(lines, 3);
  });
});
