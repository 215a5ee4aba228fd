/**
 * Worker thread for `mesh-doctor correlate`: reads one log file and finds its relevant lines, so
 * reading and scanning run on another core than the parsing and correlating. Batches go to the
 * main thread as they fill; with `MAX_BATCHES_IN_FLIGHT` of them unconsumed the worker waits,
 * which keeps memory flat however far ahead the reader could run.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { CandidateBatch } from '../core/correlate/index';
import { relevantLineScanner } from '../core/correlate/scan';
import { readFileChunks } from './fileChunks';
import { MAX_BATCHES_IN_FLIGHT, type ScanWorkerData, type ScanWorkerMessage } from './scanInWorker';

/** Chunks (of 1 MB) per batch: few messages, small batches. */
const CHUNKS_PER_BATCH = 2;

function post(message: ScanWorkerMessage, inFlight: Int32Array): void {
  if (message.type === 'batch') {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n);
    Atomics.add(inFlight, 0, 1);
  }
  parentPort!.postMessage(message);
}

function scanFile({ file, inFlight }: ScanWorkerData): void {
  let batch: CandidateBatch = { raws: [], lines: [], offsets: [], linesRead: 0 };
  // No look-back history: the main thread reads a stack trace's earlier lines from the file by offset.
  const scanner = relevantLineScanner((raw, line, _lookBack, offset) => {
    batch.raws.push(raw);
    batch.lines.push(line);
    batch.offsets.push(offset);
  }, 0);
  const send = (): void => {
    batch.linesRead = scanner.linesRead;
    post({ type: 'batch', batch }, inFlight);
    batch = { raws: [], lines: [], offsets: [], linesRead: 0 };
  };
  let chunks = 0;
  for (const chunk of readFileChunks(file)) {
    scanner.push(chunk);
    if (++chunks % CHUNKS_PER_BATCH === 0) send();
  }
  scanner.end();
  send();
  post({ type: 'done' }, inFlight);
}

try {
  scanFile(workerData as ScanWorkerData);
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies ScanWorkerMessage);
}
