import * as vscode from 'vscode';
import type { PodRef } from '../kube/types';

export const LIVE_LOG_SCHEME = 'mesh-doctor-log';
/** Runs whose fetched logs stay openable; older ones are dropped to bound memory. */
const RUNS_KEPT = 3;

/**
 * Read-only documents holding the container logs a live annotation fetched, so the panel's
 * "open line" links work for pods as they do for files. Contents live in memory only.
 */
export class LiveLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly byRun = new Map<number, Map<string, string>>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(LIVE_LOG_SCHEME, this);
  }

  uriFor(runId: number, pod: PodRef, container: string): vscode.Uri {
    return vscode.Uri.from({
      scheme: LIVE_LOG_SCHEME,
      path: `/${pod.namespace}/${pod.name}/${container}.log`,
      query: new URLSearchParams({ run: String(runId), context: pod.context }).toString(),
    });
  }

  store(runId: number, uri: vscode.Uri, lines: readonly string[]): void {
    let run = this.byRun.get(runId);
    if (!run) {
      run = new Map();
      this.byRun.set(runId, run);
      for (const old of [...this.byRun.keys()].sort((a, b) => a - b).slice(0, -RUNS_KEPT)) this.byRun.delete(old);
    }
    run.set(uri.toString(), lines.join('\n'));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const runId = Number(new URLSearchParams(uri.query).get('run'));
    const text = this.byRun.get(runId)?.get(uri.toString());
    if (text === undefined) {
      throw new Error('This live log is no longer in memory (only the last few annotation runs are kept). Annotate the pod again.');
    }
    return text;
  }

  dispose(): void {
    this.registration.dispose();
    this.byRun.clear();
  }
}
