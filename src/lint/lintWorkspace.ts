import * as vscode from 'vscode';
import { formatDuration } from '../core/duration';
import { notificationText } from '../core/text/markupEscape';
import type { Configuration } from '../services/configuration';
import type { LintWorkerClient } from './lintWorkerClient';
import { displayName } from './workspaceFiles';
import { lintWorkspaceFiles, type WorkspaceLintSummary } from './workspaceLintRun';

export const LINT_WORKSPACE = 'meshDoctor.lintWorkspace';

/**
 * `meshDoctor.lintWorkspace`: every YAML file in the workspace into the Problems panel, with a
 * cancellable progress notification. Files already open keep being linted live afterwards.
 * Resolves to a summary so tests and other commands can read what happened.
 */
export function lintWorkspaceCommand(
  worker: LintWorkerClient,
  config: Configuration,
  diagnostics: vscode.DiagnosticCollection,
  log: vscode.LogOutputChannel,
): () => Thenable<WorkspaceLintSummary> {
  return () =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Mesh Doctor: linting connect timeouts', cancellable: true },
      async (progress, token) => {
        const onProgress = (done: number, total: number, uri: vscode.Uri): void =>
          progress.report({ message: notificationText(`${done}/${total} ${displayName(uri)}`), increment: 100 / total });
        const summary = await lintWorkspaceFiles(worker, config, diagnostics, log, { token, onProgress });
        void vscode.window.showInformationMessage(describe(summary, config.minimum.seconds));
        return summary;
      },
    );
}

function describe(s: WorkspaceLintSummary, minimumSeconds: number): string {
  const found =
    s.findings === 0
      ? `no connect timeouts below ${formatDuration(minimumSeconds)}`
      : `${s.findings} connect-timeout problem${s.findings === 1 ? '' : 's'} in ${s.filesWithFindings} file${s.filesWithFindings === 1 ? '' : 's'} (see the Problems panel)`;
  const skipped = s.skipped > 0 ? `; ${s.skipped} skipped (too large, binary or unreadable; see the Mesh Doctor output)` : '';
  const scope = s.cancelled ? `Cancelled after ${s.linted} of ${s.files} YAML files` : `Linted ${s.linted} YAML files`;
  return `Mesh Doctor: ${scope}: ${found}${skipped}.`;
}
