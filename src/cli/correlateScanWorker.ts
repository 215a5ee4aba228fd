/**
 * Worker thread for `mesh-doctor correlate`: reads one log file and finds its relevant lines, so
 * reading and scanning run on another core than the parsing and correlating. Batches go to the
 * main thread as they fill (and after each chunk read, for progress); with `MAX_BATCHES_IN_FLIGHT` of them unconsumed the worker waits,
 * which keeps memory flat however far ahead the reader could run.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { CandidateBatch } from '../core/correlate/index';
import { relevantLineScanner } from '../core/correlate/scan';
import { readFileChunks } from './fileChunks';
import { LINES_PER_BATCH, MAX_BATCHES_IN_FLIGHT, type ScanWorkerData, type ScanWorkerMessage } from './scanInWorker';

function post(message: ScanWorkerMessage, inFlight: Int32Array): void {
  if (message.type === 'batch') {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n);
    Atomics.add(inFlight, 0, 1);
  }
  parentPort!.postMessage(message);
}

function scanFile({ file, inFlight }: ScanWorkerData): void {
  let batch: CandidateBatch = { raws: [], lines: [], offsets: [], linesRead: 0, cutLines: 0 };
  // No look-back history: the main thread reads a stack trace's earlier lines from the file by offset.
  const scanner = relevantLineScanner((raw, line, _lookBack, offset) => {
    batch.raws.push(raw);
    batch.lines.push(line);
    batch.offsets.push(offset);
    if (batch.raws.length >= LINES_PER_BATCH) send(line);
  }, 0);
  /** `linesRead`: how many lines are read when it goes; within a chunk, those up to its last line. */
  const send = (linesRead: number): void => {
    batch.linesRead = linesRead;
    batch.cutLines = scanner.cutLines;
    post({ type: 'batch', batch }, inFlight);
    batch = { raws: [], lines: [], offsets: [], linesRead: 0, cutLines: 0 };
  };
  for (const chunk of readFileChunks(file)) {
    scanner.push(chunk);
    // Also when few lines were found: the count of lines read is the progress shown.
    send(scanner.linesRead);
  }
  scanner.end();
  send(scanner.linesRead);
  post({ type: 'done' }, inFlight);
}

try {
  scanFile(workerData as ScanWorkerData);
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message } satisfies ScanWorkerMessage);
}
