import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ManifestLintResult } from '../core/lint';
import type { LintRequest, LintResponse } from './lintWorkerProtocol';

/** A job still running after this long is taken as stuck: the worker is terminated and replaced. */
export const LINT_TIME_LIMIT_MS = 10_000;

export type WorkerLint =
  | { readonly kind: 'done'; readonly result: ManifestLintResult }
  /** The job was stopped (its worker terminated) after LINT_TIME_LIMIT_MS. */
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * `interactive` jobs (what the user is looking at, and a file that just changed in the workspace)
 * go ahead of queued `background` ones (the workspace scan and the workspace lint), so a big scan
 * never delays the lens in the active editor, nor the findings of a file just written.
 */
export type LintPriority = 'interactive' | 'background';

interface Job {
  readonly request: LintRequest;
  readonly priority: LintPriority;
  readonly settle: (outcome: WorkerLint) => void;
}

interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

/**
 * Lints on a worker thread, one job at a time, in arrival order within a priority. Cancellation reaches a running job
 * through a shared flag; a job that runs past the time limit gets its worker terminated, and the
 * jobs queued behind it are sent to a fresh worker, so one bad file never costs another its lint.
 */
export class LintWorkerClient {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private running: { job: Job; timer: ReturnType<typeof setTimeout> } | undefined;
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly scriptPath: string = path.join(__dirname, 'lintWorker.js'),
    private readonly timeLimitMs: number = LINT_TIME_LIMIT_MS,
  ) {}

  /**
   * `readWorkloads`: also read plain workloads and Services, which only the workspace index's
   * cross-file rules need (typing never pays for that); by default, for background jobs.
   */
  lint(text: string, minimumSeconds: number, token?: CancellationLike, priority: LintPriority = 'interactive', readWorkloads = priority === 'background'): Promise<WorkerLint> {
    if (this.disposed) return Promise.resolve({ kind: 'failed', reason: 'the extension is shutting down' });
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    if (token?.isCancellationRequested) Atomics.store(flag, 0, 1);
    const listener = token?.onCancellationRequested(() => Atomics.store(flag, 0, 1));
    return new Promise<WorkerLint>((resolve) => {
      const settle = (outcome: WorkerLint): void => {
        listener?.dispose();
        resolve(outcome);
      };
      const job: Job = { request: { id: this.nextId++, text, minimumSeconds, readWorkloads, cancel }, priority, settle };
      const firstBackground = this.queue.findIndex((queued) => queued.priority === 'background');
      if (priority === 'interactive' && firstBackground >= 0) this.queue.splice(firstBackground, 0, job);
      else this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      job.settle({ kind: 'failed', reason: `the lint worker could not start: ${err instanceof Error ? err.message : String(err)}` });
      this.pump();
      return;
    }
    const timer = setTimeout(() => this.abandonRunning({ kind: 'timeout', afterMs: this.timeLimitMs }), this.timeLimitMs);
    this.running = { job, timer };
    worker.postMessage(job.request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath);
    worker.on('message', (response: LintResponse) => {
      if (this.worker !== worker || this.running?.job.request.id !== response.id) return;
      const { job, timer } = this.running;
      clearTimeout(timer);
      this.running = undefined;
      job.settle('result' in response ? { kind: 'done', result: response.result } : { kind: 'failed', reason: response.error });
      this.pump();
    });
    const lost = (reason: string): void => {
      if (this.worker !== worker) return;
      this.abandonRunning({ kind: 'failed', reason });
    };
    worker.on('error', (err) => lost(`the lint worker failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the lint worker exited with code ${code}`));
    // An idle worker must not keep the extension host (or a test process) alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Ends the running job with `outcome`, replaces its worker, and carries on with the queue. */
  private abandonRunning(outcome: WorkerLint): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    const running = this.running;
    this.running = undefined;
    if (running) {
      clearTimeout(running.timer);
      running.job.settle(outcome);
    }
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    const pending = [...this.queue.splice(0), ...(this.running ? [this.running.job] : [])];
    if (this.running) clearTimeout(this.running.timer);
    this.running = undefined;
    for (const job of pending) job.settle({ kind: 'failed', reason: 'the extension is shutting down' });
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Why a lint produced no result, for a message that ends in what to do next. */
export function lintFailureReason(outcome: Exclude<WorkerLint, { kind: 'done' }>): string {
  return outcome.kind === 'timeout' ? `linting took longer than ${outcome.afterMs / 1000} s and was stopped` : outcome.reason;
}
