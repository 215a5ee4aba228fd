import * as vscode from 'vscode';
import type { ManifestLintResult } from '../core/lint';
import { notificationText } from '../core/text/markupEscape';
import { isManifestDocument, MANIFEST_GLOB } from './documentSelector';
import { lintFailureReason, type LintWorkerClient } from './lintWorkerClient';
import type { Configuration } from '../services/configuration';
import { formatMegabytes, maxLintChars } from './sizeLimit';
import { DIAGNOSTIC_SOURCE, findingToDiagnostic, toRange } from './toVscode';
import { displayName, readManifestText } from './workspaceFiles';

/** Typing pauses shorter than this do not re-lint (the issue asks for ~300 ms). */
export const LINT_DEBOUNCE_MS = 300;

interface CachedLint {
  readonly version: number;
  readonly minimumSeconds: number;
  /** Cancelled when a newer version replaces this lint, or the document closes. */
  readonly cancellation: vscode.CancellationTokenSource;
  /** null when the document was skipped (too large, too slow, worker failure). */
  readonly result: Promise<ManifestLintResult | null>;
}

/**
 * Lints open manifests on the lint worker and publishes their diagnostics. One lint per document
 * version and threshold is shared by the diagnostics, the code lenses and the quick fixes; a new
 * version cancels the lint of the one it replaces.
 */
export class DocumentLinter implements vscode.Disposable {
  private readonly cache = new Map<string, CachedLint>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents the user was already told about (too large, too slow), so they are told once. */
  private readonly told = new Set<string>();
  private readonly linted = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires after a document's diagnostics were published: code lenses and the workspace index listen. */
  readonly onDidLint = this.linted.event;

  constructor(
    private readonly worker: LintWorkerClient,
    private readonly config: Configuration,
    readonly diagnostics: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.lintAndPublish(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document);
      }),
      // Saving changes `isDirty`, which decides whether parse problems are shown (see problemDiagnostic).
      vscode.workspace.onDidSaveTextDocument((d) => void this.lintAndPublish(d)),
      vscode.workspace.onDidCloseTextDocument((d) => void this.forget(d.uri)),
      config.onDidChange(['connectTimeout.minimum'], () => this.relintOpenDocuments()),
      config.onDidChange(['lint.maxFileSizeMB'], () => {
        // The size limit is not part of the cache key: drop the cache so skipped documents get linted.
        for (const key of [...this.cache.keys()]) this.dropCached(key);
        this.told.clear();
        this.relintOpenDocuments();
      }),
      ...forgetDeletedFiles(diagnostics),
    );
    this.relintOpenDocuments();
  }

  /** The lint of the document as it is now (shared with every other caller); null if skipped or not a manifest. */
  resultFor(document: vscode.TextDocument): Promise<ManifestLintResult | null> {
    if (!isManifestDocument(document)) return Promise.resolve(null);
    const key = document.uri.toString();
    const minimumSeconds = this.config.minimum.seconds;
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.minimumSeconds === minimumSeconds) return cached.result;
    this.dropCached(key);
    const cancellation = new vscode.CancellationTokenSource();
    const result = this.lint(document, minimumSeconds, cancellation.token);
    this.cache.set(key, { version: document.version, minimumSeconds, cancellation, result });
    return result;
  }

  /** Re-lints after the user stops typing, never on the keystroke itself. */
  schedule(document: vscode.TextDocument): void {
    if (!isManifestDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        // The document may have been closed while the timer ran.
        if (!document.isClosed) void this.lintAndPublish(document);
      }, LINT_DEBOUNCE_MS),
    );
  }

  relintOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) void this.lintAndPublish(document);
  }

  private async lintAndPublish(document: vscode.TextDocument): Promise<void> {
    if (!isManifestDocument(document)) return;
    const version = document.version;
    const result = await this.resultFor(document);
    // A newer version (or a closed document) is handled by the lint that superseded this one.
    if (document.isClosed || document.version !== version || result?.cancelled) return;
    this.diagnostics.set(document.uri, result ? manifestDiagnostics(result, document.isDirty) : []);
    this.linted.fire(document);
  }

  private async lint(
    document: vscode.TextDocument,
    minimumSeconds: number,
    token: vscode.CancellationToken,
  ): Promise<ManifestLintResult | null> {
    const name = displayName(document.uri);
    const text = document.getText();
    const limit = maxLintChars();
    if (text.length > limit) {
      this.tellOnce(
        document,
        `Mesh Doctor did not lint ${name}: it is ${formatMegabytes(text.length)}, above the ${formatMegabytes(limit)} limit. ` +
          'Raise meshDoctor.lint.maxFileSizeMB to lint it.',
      );
      return null;
    }
    const started = Date.now();
    const outcome = await this.worker.lint(text, minimumSeconds, token);
    if (outcome.kind !== 'done') {
      this.tellOnce(
        document,
        `Mesh Doctor could not lint ${name}: ${lintFailureReason(outcome)}. ` +
          'Check it with the mesh-doctor CLI, or see the Mesh Doctor output for details.',
      );
      return null;
    }
    this.log.trace(`lint ${name} v${document.version}: ${outcome.result.findings.length} findings in ${Date.now() - started} ms`);
    return outcome.result;
  }

  private dropCached(key: string): void {
    const cached = this.cache.get(key);
    cached?.cancellation.cancel();
    cached?.cancellation.dispose();
    this.cache.delete(key);
  }

  private tellOnce(document: vscode.TextDocument, message: string): void {
    const key = document.uri.toString();
    this.log.info(message);
    if (this.told.has(key)) return;
    this.told.add(key);
    void vscode.window.showInformationMessage(notificationText(message));
  }

  /**
   * A closed document's problems stay in the Problems panel (like a workspace lint's), but for the
   * file as saved: unsaved edits were just discarded.
   */
  private async forget(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.dropCached(key);
    this.told.delete(key);
    if (!this.diagnostics.get(uri)?.length) return;
    const read = await readManifestText(uri);
    const outcome = 'text' in read ? await this.worker.lint(read.text, this.config.minimum.seconds) : undefined;
    // Reopened meanwhile: the live lint owns the diagnostics again.
    if (this.cache.has(key)) return;
    if (outcome?.kind === 'done') this.diagnostics.set(uri, manifestDiagnostics(outcome.result, false));
    else this.diagnostics.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const key of [...this.cache.keys()]) this.dropCached(key);
    for (const s of this.subscriptions) s.dispose();
    this.linted.dispose();
  }
}

/**
 * Parse problems become one information diagnostic, and only once the document is saved: while the
 * user is typing, a half-written document is the normal state and the YAML language server already
 * underlines syntax errors, so a second squiggle would only nag. After a save, though, the user should
 * learn that some connect timeouts could not be checked.
 */
function problemDiagnostic(result: ManifestLintResult, editing: boolean): vscode.Diagnostic | null {
  const first = result.problems[0];
  if (!first || editing || !result.isIstio) return null;
  const others = result.problems.length - 1;
  const more = others > 0 ? ` ${others} more problem${others === 1 ? '' : 's'} like this in the file.` : '';
  const diagnostic = new vscode.Diagnostic(toRange(first.range), `${first.message}${more}`, vscode.DiagnosticSeverity.Information);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = 'manifest-unparsed';
  return diagnostic;
}

/** Everything the Problems panel shows for one manifest; nothing for YAML that is not Istio. */
export function manifestDiagnostics(result: ManifestLintResult, editing: boolean): vscode.Diagnostic[] {
  if (!result.isIstio) return [];
  const diagnostics = result.findings.map(findingToDiagnostic);
  const problem = problemDiagnostic(result, editing);
  if (problem) diagnostics.push(problem);
  return diagnostics;
}

/** A deleted file (or folder of files) must not leave its problems behind in the Problems panel. */
function forgetDeletedFiles(diagnostics: vscode.DiagnosticCollection): vscode.Disposable[] {
  const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB, true, true, false);
  const onDelete = watcher.onDidDelete((deleted) => {
    const prefix = `${deleted.toString()}/`;
    diagnostics.forEach((uri) => {
      if (uri.toString() === deleted.toString() || uri.toString().startsWith(prefix)) diagnostics.delete(uri);
    });
  });
  return [watcher, onDelete];
}
