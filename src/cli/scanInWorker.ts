/**
 * Finds a log file's relevant lines on a worker thread (correlateScanWorker.js, built next to this
 * module by tsc and next to cli.js by esbuild) while this thread parses and correlates them, so
 * the two halves of the work use two cores.
 */

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CandidateBatch } from '../core/correlate/index';

/**
 * Batches the worker may post before they are taken: bounds memory when correlating falls behind
 * (a batch is a few hundred lines), while leaving the worker room to read on between the main
 * thread's turns. With 8, each thread waited for the other a fifth of the time on the bench (the
 * main thread's work comes in bursts: a reset to decide, a collection); 16 smooth that out.
 */
export const MAX_BATCHES_IN_FLIGHT = 16;

/**
 * Lines per batch. The main thread parses a batch into items before correlating them, so a whole
 * batch is alive at once; one this small is still alive across at most one young-generation
 * collection and dies young, while a batch of megabytes outlived two and was promoted, which made
 * the main thread's old generation swell to several times what it holds (the peak RSS).
 */
export const LINES_PER_BATCH = 512;

export interface ScanWorkerData {
  readonly file: string;
  /** Shared counter of posted, not yet taken batches. */
  readonly inFlight: Int32Array;
}

export type ScanWorkerMessage =
  | { readonly type: 'batch'; readonly batch: CandidateBatch }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

const WORKER_SCRIPT = path.join(__dirname, 'correlateScanWorker.js');

/**
 * The worker's batches are short-lived: a small young generation makes V8 collect them often
 * instead of letting each thread grow its own tens of megabytes, which kept the 1 GB run's peak
 * RSS above 200 MB.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2 } as const;

/** False when the worker script is missing (e.g. running from sources): scan on this thread then. */
export function canScanInWorker(): boolean {
  return existsSync(WORKER_SCRIPT);
}

type Arrival = ScanWorkerMessage | { readonly type: 'exit'; readonly code: number };

/** The relevant lines of `file` in batches, found on a worker thread; returning early stops the worker. */
export async function* scanInWorker(file: string): AsyncGenerator<CandidateBatch> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SCRIPT, { workerData: { file, inFlight } satisfies ScanWorkerData, resourceLimits: WORKER_LIMITS });
  const arrivals: Arrival[] = [];
  let wake: (() => void) | null = null;
  const arrive = (a: Arrival): void => {
    arrivals.push(a);
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ScanWorkerMessage) => arrive(m));
  worker.on('error', (e: Error) => arrive({ type: 'error', message: e.message }));
  worker.on('exit', (code: number) => arrive({ type: 'exit', code }));
  try {
    for (;;) {
      if (arrivals.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const a = arrivals.shift()!;
      if (a.type === 'done') return;
      if (a.type === 'error') throw new Error(`scanning ${file}: ${a.message}`);
      if (a.type === 'exit') throw new Error(`scanning ${file}: the scan worker stopped early (exit code ${a.code})`);
      Atomics.sub(inFlight, 0, 1);
      Atomics.notify(inFlight, 0);
      yield a.batch;
    }
  } finally {
    void worker.terminate();
  }
}
