/**
 * Runs the linting core on its own thread (bundled as dist/lintWorker.js), so parsing a large or
 * hostile manifest never blocks the extension host that every extension shares. No `vscode` here.
 */
import { parentPort } from 'node:worker_threads';
import { lintManifest } from '../core/lint';
import type { LintRequest, LintResponse } from './lintWorkerProtocol';

const port = parentPort;
if (!port) throw new Error('lintWorker.js must be started as a worker thread');

port.on('message', (request: LintRequest) => {
  // The extension sets the flag to cancel; reading it needs no event-loop turn, so the core's
  // synchronous walk sees it between documents.
  const cancelled = new Int32Array(request.cancel);
  let response: LintResponse;
  try {
    const result = lintManifest(request.text, {
      minimumSeconds: request.minimumSeconds,
      readWorkloads: request.readWorkloads,
      isCancelled: () => Atomics.load(cancelled, 0) !== 0,
    });
    response = { id: request.id, result };
  } catch (err) {
    response = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(response);
});
