import * as assert from 'node:assert/strict';
import { mayMatter, relevantLineScanner } from '../../../../src/core/correlate/scan';

/**
 * The lines the byte scanner hands on, for `text` pushed in chunks of `chunkBytes`, in line order:
 * those handed on as text, and those read as successful access-log lines (as their text here).
 */
function scannedLines(text: string, chunkBytes: number): string[] {
  const found: { line: number; text: string }[] = [];
  const all = text.split('\n');
  const scanner = relevantLineScanner(
    (raw, line) => found.push({ line, text: raw }),
    (line) => found.push({ line, text: all[line - 1]! }),
    0,
  );
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkBytes) scanner.push(bytes.subarray(i, i + chunkBytes));
  scanner.end();
  return found.sort((a, b) => a.line - b.line).map((f) => f.text);
}

describe('relevant-line scanning (correlate)', () => {
  // Status codes next to every kind of neighbour, markers at line ends and starts, non-ASCII text around them.
  const lines = [
    'INFO all fine',
    '503',
    'GET /x 503 -',
    'id 1503 and 5030',
    'at 10.0.503.1 and :503 and 503: and -503 and 503-',
    'HTTP/1.1" 404 NR',
    'ünïcödé 502 ü',
    'é404é',
    'x404',
    'upstream',
    'nothing here at all',
    '[2024-05-01T10:00:00.000Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 1 2 3',
    'réset',
    'Connection reset by peer',
    'CRI 2024-05-01T10:00:00Z stdout P part',
    'time 2024-05-04T05:04:03.504Z',
    'ends with 504',
    '504\r',
    'tart_time',
    'closé',
  ];
  const text = lines.join('\n');

  for (const chunkBytes of [1, 5, 64, 1 << 20]) {
    it(`hands on exactly the lines that mayMatter accepts as text (chunks of ${chunkBytes} bytes)`, () => {
      assert.deepEqual(scannedLines(text, chunkBytes), lines.filter(mayMatter));
    });
  }

  it('finds the same lines in a log far longer than the scanner reads as text at once', () => {
    // Lines of varied lengths (one longer than the text window); every ninth ends with a word that may be a marker.
    const words = ['reset', 'é', '503', '1503', 'onnect', 'x', '404.1', 'upstream'];
    const long: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const filler = 'plain words '.repeat(i === 3000 ? 20_000 : (i * 7) % 23);
      long.push(i % 9 === 0 ? `${filler}${words[(i / 9) % words.length]!}` : filler);
    }
    const longText = long.join('\n');
    assert.ok(Buffer.byteLength(longText) > 4 * 64 * 1024);
    const expected = long.filter(mayMatter);
    assert.ok(expected.length > 100 && expected.length < long.length / 2);
    for (const chunkBytes of [4096, 1 << 20]) assert.deepEqual(scannedLines(longText, chunkBytes), expected);
  });

  it('finds status codes only as words', () => {
    assert.deepEqual(scannedLines(['a 503', 'a 1503', 'a 503.1', '503 b', 'é504é'].join('\n'), 1 << 20), ['a 503', '503 b', 'é504é']);
  });
});
