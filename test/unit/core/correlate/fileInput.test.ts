import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileChunks } from '../../../../src/cli/correlate';
import { readLinesBefore } from '../../../../src/cli/fileChunks';
import { canScanInWorker, LINES_PER_BATCH, scanInWorker } from '../../../../src/cli/scanInWorker';
import { correlate, type CorrelateCandidateInput } from '../../../../src/core/correlate/index';
import { generateCorpus } from '../../../corpus/generator';

/** As the CLI reads a file when a core is spare (here whatever the machine's core count). */
function inWorker(file: string, label: string): CorrelateCandidateInput {
  return { file: label, candidates: scanInWorker(file), lookBack: (offset, line) => readLinesBefore(file, offset, line) };
}

describe('correlate file inputs', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-file-input-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the lines before a line backwards, nearest first, across blocks and past a long line', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 'é'.repeat(70_000) : `line ${i + 1} ${'x'.repeat(i % 50)}`));
    const file = path.join(dir, 'lines.log');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const starts = [0];
    for (const l of lines) starts.push(starts[starts.length - 1]! + Buffer.byteLength(l) + 1);
    for (const line of [1, 2, 1501, 1502, 2000, 3000]) {
      const before = [...readLinesBefore(file, starts[line - 1]!, line)];
      assert.equal(before.length, line - 1, `line ${line}`);
      before.forEach((b, k) => assert.deepEqual(b, { raw: lines[line - 2 - k], line: line - 1 - k }));
    }
  });

  it('gives the same resets whether lines are found on a worker thread or on this one', async function () {
    this.timeout(20_000);
    assert.ok(canScanInWorker(), 'the scan worker is built next to the CLI module');
    for (const c of generateCorpus(7, 6, 8)) {
      const paths = c.files.map((f) => {
        const p = path.join(dir, path.basename(f.file));
        fs.writeFileSync(p, f.text);
        return { p, name: f.file };
      });
      const options = { windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds };
      const worker = await correlate(paths.map(({ p, name }) => inWorker(p, name)), options);
      const here = await correlate(paths.map(({ p, name }) => ({ file: name, chunks: fileChunks(p) })), options);
      assert.ok(worker.resets.length > 0, c.name);
      assert.deepEqual(worker.resets, here.resets, c.name);
      assert.equal(worker.linesRead, here.linesRead, c.name);
    }
  });

  it('stops reading when cancelled, with what was read so far', async () => {
    // Cancellation is checked every 16 batches, of at most 1 MB each: 48 MB leaves room for an early stop.
    const file = path.join(dir, 'long.log');
    const block = 'app INFO request handled in 12 ms by C.e.Api\n'.repeat(20_000);
    fs.writeFileSync(file, block.repeat(Math.ceil((48 << 20) / block.length)));
    const total = fs.readFileSync(file).reduce((n, b) => (b === 10 ? n + 1 : n), 0);
    const result = await correlate([inWorker(file, 'long.log')], { windowSeconds: 5, isCancelled: () => true });
    assert.ok(result.linesRead > 0 && result.linesRead < total, `${result.linesRead} of ${total} lines`);
    assert.match(result.warnings.join('\n'), /Cancelled after \d+ lines/);
  });

  it('hands lines over from the worker in small batches, in order, with every line and the lines read', async () => {
    // Every line is relevant: a batch of a whole chunk would hold thousands of them.
    const lines = Array.from({ length: 20_000 }, (_, i) => `[2024-05-01T10:00:00.000Z] "GET /${i} HTTP/1.1" 200 - via_upstream`);
    const file = path.join(dir, 'dense.log');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const seen: number[] = [];
    let largest = 0;
    let batches = 0;
    let linesRead = 0;
    for await (const batch of scanInWorker(file)) {
      batches++;
      largest = Math.max(largest, batch.raws.length);
      assert.ok(batch.linesRead >= linesRead, 'lines read never go back');
      linesRead = batch.linesRead;
      seen.push(...batch.lines);
    }
    assert.ok(largest <= LINES_PER_BATCH && batches >= lines.length / LINES_PER_BATCH, `${batches} batches, the largest of ${largest} lines`);
    assert.deepEqual(seen, lines.map((_, i) => i + 1));
    assert.equal(linesRead, lines.length);
  });

  it('reports a file that cannot be read from the worker as an error, not a hang', async () => {
    const missing = path.join(dir, 'gone.log');
    await assert.rejects(correlate([inWorker(missing, 'gone.log')], { windowSeconds: 5 }), /scanning .*gone\.log: .*ENOENT/);
  });
  it('says how many lines were too long to read whole, on a worker thread and on this one', async function () {
    this.timeout(20_000);
    // A 3 MiB line (a dumped payload) spans 1 MiB chunks, and another ends the file with no newline.
    const long = `2024-05-21T10:10:02.520Z ERROR 1 --- [main] c.e.Client : payload ${'x'.repeat(3 * 1024 * 1024)}`;
    const file = path.join(dir, 'long.log');
    fs.writeFileSync(file, `2024-05-21T10:10:01.000Z INFO 1 --- [main] c.e.Client : started\n${long}\n2024-05-21T10:10:03.000Z INFO 1 --- [main] c.e.Client : ok\n${long}`);
    for (const input of [inWorker(file, 'long.log'), { file: 'long.log', chunks: fileChunks(file) }]) {
      const result = await correlate([input], { windowSeconds: 5 });
      assert.equal(result.linesRead, 4);
      assert.ok(result.warnings.includes('2 line(s) longer than 1 MiB were read only up to that length: a failure further along such a line was not seen.'), result.warnings.join('\n'));
    }
    const short = path.join(dir, 'short.log');
    fs.writeFileSync(short, `${'y'.repeat(1024 * 1024 - 10)}\n`);
    const result = await correlate([inWorker(short, 'short.log')], { windowSeconds: 5 });
    assert.ok(!result.warnings.some((w) => /longer than/.test(w)), result.warnings.join('\n'));
  });
});
