/**
 * Worker thread for `mesh-doctor correlate`: reads one log file and finds its relevant lines, so
 * reading and scanning run on another core than the parsing and correlating. Batches go to the
 * main thread as they fill (and after each chunk read, for progress); with `MAX_BATCHES_IN_FLIGHT` of them unconsumed the worker waits,
 * which keeps memory flat however far ahead the reader could run.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { SUCCESS_FIELDS, type CandidateBatch } from '../core/correlate/index';
import { relevantLineScanner } from '../core/correlate/scan';
import { readFileChunks } from './fileChunks';
import { LINES_PER_BATCH, MAX_BATCHES_IN_FLIGHT, type ScanWorkerData, type ScanWorkerMessage } from './scanInWorker';

function post(message: ScanWorkerMessage, inFlight: Int32Array): void {
  if (message.type === 'batch') {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n);
    Atomics.add(inFlight, 0, 1);
    // The successes' numbers move to the main thread instead of being copied.
    parentPort!.postMessage(message, [message.batch.successes.buffer as ArrayBuffer]);
    return;
  }
  parentPort!.postMessage(message);
}

function scanFile({ file, inFlight }: ScanWorkerData): void {
  const empty = (): CandidateBatch => ({ raws: [], lines: [], offsets: [], linesRead: 0, cutLines: 0, successes: new Float64Array(LINES_PER_BATCH * SUCCESS_FIELDS), successCount: 0, pods: [] });
  let batch = empty();
  const full = (line: number): void => {
    if (batch.raws.length + batch.successCount >= LINES_PER_BATCH) send(line);
  };
  // No look-back history: the main thread reads a stack trace's earlier lines from the file by offset.
  const scanner = relevantLineScanner(
    (raw, line, _lookBack, offset) => {
      batch.raws.push(raw);
      batch.lines.push(line);
      batch.offsets.push(offset);
      full(line);
    },
    (line, endMs, address, pod) => {
      let podIndex = -1;
      if (pod !== null) {
        podIndex = batch.pods.indexOf(pod);
        if (podIndex < 0) podIndex = batch.pods.push(pod) - 1;
      }
      const at = batch.successCount++ * SUCCESS_FIELDS;
      const successes = batch.successes;
      successes[at] = line;
      successes[at + 1] = endMs;
      successes[at + 2] = address ?? Number.NaN;
      successes[at + 3] = podIndex;
      full(line);
    },
    0,
  );
  /** `linesRead`: how many lines are read when it goes; within a chunk, those up to its last line. */
  const send = (linesRead: number): void => {
    batch.linesRead = linesRead;
    batch.cutLines = scanner.cutLines;
    post({ type: 'batch', batch }, inFlight);
    batch = empty();
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
