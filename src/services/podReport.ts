import type * as vscode from 'vscode';
import type { UserInterface } from './ui';

/** One pod that could not be changed or restored, with why. */
export interface PodFailure {
  /** The pod as `namespace/name` (core/podAccess podLabel). */
  readonly pod: string;
  readonly reason: string;
}

/**
 * One message for a multi-pod operation: what succeeded, then every pod that did not with its
 * reason. Details also go to the output channel, one line per pod, for later reading.
 */
export function reportPodOutcome(output: vscode.LogOutputChannel, ui: UserInterface, done: string, failures: readonly PodFailure[]): void {
  for (const f of failures) output.warn(`${f.pod}: ${f.reason}`);
  if (failures.length === 0) {
    void ui.notify('info', done);
    return;
  }
  const list = failures.map((f) => `${f.pod}: ${f.reason}`).join('; ');
  void ui.notify('warning', `${done} Not changed: ${list}`, 'Show Output').then((a) => {
    if (a) output.show(true);
  });
}
