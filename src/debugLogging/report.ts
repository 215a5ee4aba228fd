import * as vscode from 'vscode';
import { KubeAccessError } from '../kube/types';
import { notificationText } from '../core/text/markupEscape';

/** One pod that could not be changed or restored, with why. */
export interface PodFailure {
  readonly pod: string;
  readonly reason: string;
}

export function reasonOf(err: unknown): string {
  if (err instanceof KubeAccessError) return `${err.message} (${err.hint})`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * One message for a multi-pod operation: what succeeded, then every pod that did not with its
 * reason. Details also go to the output channel, one line per pod, for later reading.
 */
export function reportPodOutcome(output: vscode.LogOutputChannel, done: string, failures: readonly PodFailure[]): void {
  for (const f of failures) output.warn(`${f.pod}: ${f.reason}`);
  if (failures.length === 0) {
    void vscode.window.showInformationMessage(notificationText(done));
    return;
  }
  const list = failures.map((f) => `${f.pod}: ${f.reason}`).join('; ');
  void vscode.window.showWarningMessage(notificationText(`${done} Not changed: ${list}`), 'Show Output').then((a) => {
    if (a) output.show(true);
  });
}
