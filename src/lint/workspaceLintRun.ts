import * as vscode from 'vscode';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { mayHoldRuleSettings, type ManifestLintResult } from '../core/lint';
import { revealInvisible } from '../core/text/invisible';
import type { Configuration } from '../services/configuration';
import { manifestDiagnostics } from './documentLinter';
import { lintFailureReason, type LintWorkerClient } from './lintWorkerClient';
import { displayName, findManifestFiles, MAX_MANIFEST_FILES, readManifestText } from './workspaceFiles';

/** Files read at once: enough to keep the lint worker busy, few enough that only a handful of texts are held. */
export const MAX_CONCURRENT_READS = 4;

export interface WorkspaceLintSummary {
  readonly files: number;
  readonly linted: number;
  readonly skipped: number;
  readonly findings: number;
  readonly filesWithFindings: number;
  readonly cancelled: boolean;
}

export interface WorkspaceLintOptions {
  readonly token: vscode.CancellationToken;
  /** The files to lint; by default every manifest in the workspace (or under `folder`), up to MAX_MANIFEST_FILES. */
  readonly uris?: readonly vscode.Uri[];
  readonly folder?: vscode.Uri;
  /** Leave files an editor has open alone: their live lint owns their diagnostics (the background run). */
  readonly skipOpen?: boolean;
  readonly onProgress?: (done: number, total: number, uri: vscode.Uri) => void;
  /** Each file's lint, for callers that act on the findings (Fix All in Workspace). */
  readonly onLinted?: (uri: vscode.Uri, result: ManifestLintResult) => void;
}

const isOpen = (uri: vscode.Uri): boolean => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

/**
 * The one workspace lint behind Lint Workspace, the background lint and Fix All in Workspace: each
 * file is read within the size limit (a few at a time), a file no rule reads costs a substring check,
 * the rest are linted on the worker behind the editor's own lints, and the findings go into the
 * Problems panel. Stops at the token's cancellation.
 */
export async function lintWorkspaceFiles(
  worker: LintWorkerClient,
  config: Configuration,
  diagnostics: vscode.DiagnosticCollection,
  log: vscode.LogOutputChannel,
  options: WorkspaceLintOptions,
): Promise<WorkspaceLintSummary> {
  const { token } = options;
  const minimumSeconds = config.minimum.seconds;
  const uris = options.uris ?? (await findManifestFiles(token, config.current.lintIncludeJson, options.folder));
  let done = 0;
  let linted = 0;
  let skipped = 0;
  let findings = 0;
  let filesWithFindings = 0;
  const skip = (uri: vscode.Uri, reason: string): void => {
    skipped++;
    diagnostics.delete(uri);
    log.info(revealInvisible(`Lint workspace: skipped ${displayName(uri)}: ${reason}`));
  };
  await mapBounded(uris, MAX_CONCURRENT_READS, async (uri) => {
    if (token.isCancellationRequested || (options.skipOpen === true && isOpen(uri))) return;
    const read = await readManifestText(uri);
    options.onProgress?.(++done, uris.length, uri);
    if ('skipped' in read) return skip(uri, read.skipped);
    if (!mayHoldRuleSettings(read.text)) {
      linted++;
      diagnostics.delete(uri);
      return;
    }
    const outcome = await worker.lint(read.text, minimumSeconds, token, 'background');
    if (outcome.kind !== 'done') return skip(uri, lintFailureReason(outcome));
    const result = outcome.result;
    // Opened while it was linted: the editor's lint of its current text wins.
    if (result.cancelled || token.isCancellationRequested || (options.skipOpen === true && isOpen(uri))) return;
    linted++;
    diagnostics.set(uri, manifestDiagnostics(result, false));
    findings += result.findings.length;
    if (result.findings.length > 0) filesWithFindings++;
    options.onLinted?.(uri, result);
  });
  if (uris.length >= MAX_MANIFEST_FILES) {
    log.warn(`Lint workspace: stopped at ${MAX_MANIFEST_FILES} YAML files; lint the rest with the mesh-doctor CLI.`);
  }
  return { files: uris.length, linted, skipped, findings, filesWithFindings, cancelled: token.isCancellationRequested };
}
