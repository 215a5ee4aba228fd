/**
 * Reading log files for `mesh-doctor correlate`: forward in chunks, and backward from a line for
 * the rare stack trace whose first line the correlator needs.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import type { ScannedLine } from '../core/correlate/scan';

const CHUNK_BYTES = 1 << 20;
const FIRST_BACKWARD_BLOCK_BYTES = 4 * 1024;
const MAX_BACKWARD_BLOCK_BYTES = 64 * 1024;
/** A previous line longer than this ends the look-back: no stack-trace line is that long. */
const MAX_BACKWARD_LINE_BYTES = 1024 * 1024;

/**
 * A file's bytes in chunks, read synchronously into one reused buffer: no thread-pool round trip
 * per chunk (costly on a busy machine) and no garbage buffers to inflate memory. Each chunk is
 * valid only until the next one is read.
 */
export function* readFileChunks(file: string): Generator<Buffer> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n <= 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The lines of `file` before the line `line` that starts at byte `offset`, nearest first, read
 * backwards in blocks that start small (a stack trace's first line is usually close) and double.
 */
export function* readLinesBefore(file: string, offset: number, line: number): Generator<ScannedLine> {
  if (offset <= 0 || line <= 1) return;
  const fd = openSync(file, 'r');
  try {
    let lineNumber = line - 1;
    // Bytes from `readFrom` up to the newline that ends line `lineNumber`, not yet split into lines.
    let pending = Buffer.alloc(0);
    let readFrom = offset - 1;
    let blockBytes = FIRST_BACKWARD_BLOCK_BYTES;
    while (readFrom > 0 && pending.length <= MAX_BACKWARD_LINE_BYTES) {
      const from = Math.max(0, readFrom - blockBytes);
      const block = Buffer.allocUnsafe(readFrom - from);
      if (readSync(fd, block, 0, block.length, from) !== block.length) return; // the file shrank under us
      const text = pending.length === 0 ? block : Buffer.concat([block, pending]);
      let end = text.length;
      for (let newline = text.lastIndexOf(10, end - 1); newline !== -1; newline = text.lastIndexOf(10, end - 1)) {
        yield { raw: text.toString('utf8', newline + 1, end), line: lineNumber-- };
        end = newline;
      }
      pending = text.subarray(0, end);
      readFrom = from;
      blockBytes = Math.min(2 * blockBytes, MAX_BACKWARD_BLOCK_BYTES);
    }
    if (readFrom === 0 && lineNumber >= 1) yield { raw: pending.toString('utf8'), line: lineNumber };
  } finally {
    closeSync(fd);
  }
}
