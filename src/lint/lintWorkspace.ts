import * as vscode from 'vscode';
import { formatDuration } from '../core/duration';
import { revealInvisible } from '../core/text/invisible';
import { manifestDiagnostics } from './documentLinter';
import { lintFailureReason, type LintWorkerClient } from './lintWorkerClient';
import type { Configuration } from '../services/configuration';
import { displayName, findManifestFiles, MAX_MANIFEST_FILES, readManifestText } from './workspaceFiles';
import { notificationText } from '../core/text/markupEscape';

export const LINT_WORKSPACE = 'meshDoctor.lintWorkspace';

export interface WorkspaceLintSummary {
  readonly files: number;
  readonly linted: number;
  readonly skipped: number;
  readonly findings: number;
  readonly filesWithFindings: number;
  readonly cancelled: boolean;
}

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
        const summary = await lintWorkspace(worker, config, diagnostics, log, progress, token);
        void vscode.window.showInformationMessage(describe(summary, config.minimum.seconds));
        return summary;
      },
    );
}

async function lintWorkspace(
  worker: LintWorkerClient,
  config: Configuration,
  diagnostics: vscode.DiagnosticCollection,
  log: vscode.LogOutputChannel,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<WorkspaceLintSummary> {
  const minimumSeconds = config.minimum.seconds;
  const uris = await findManifestFiles(token, config.current.lintIncludeJson);
  let linted = 0;
  let skipped = 0;
  let findings = 0;
  let filesWithFindings = 0;
  for (const [i, uri] of uris.entries()) {
    if (token.isCancellationRequested) break;
    progress.report({ message: notificationText(`${i + 1}/${uris.length} ${displayName(uri)}`), increment: 100 / uris.length });
    const read = await readManifestText(uri);
    if ('skipped' in read) {
      skipped++;
      log.info(revealInvisible(`Lint workspace: skipped ${displayName(uri)}: ${read.skipped}`));
      continue;
    }
    const outcome = await worker.lint(read.text, minimumSeconds, token, 'background');
    if (outcome.kind !== 'done') {
      skipped++;
      log.warn(revealInvisible(`Lint workspace: skipped ${displayName(uri)}: ${lintFailureReason(outcome)}`));
      continue;
    }
    const result = outcome.result;
    if (result.cancelled) break;
    linted++;
    const shown = manifestDiagnostics(result, false);
    diagnostics.set(uri, shown);
    findings += result.findings.length;
    if (result.findings.length > 0) filesWithFindings++;
  }
  if (uris.length >= MAX_MANIFEST_FILES) {
    log.warn(`Lint workspace: stopped at ${MAX_MANIFEST_FILES} YAML files; lint the rest with the mesh-doctor CLI.`);
  }
  return { files: uris.length, linted, skipped, findings, filesWithFindings, cancelled: token.isCancellationRequested };
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
