import * as vscode from 'vscode';
import { lintManifest, type ManifestLintResult } from '../core/lint';
import { isManifestDocument, MANIFEST_GLOB } from './documentSelector';
import { cancellationCheck, formatMegabytes, maxLintChars } from './lintBudget';
import type { MinimumSetting } from './minimumSetting';
import { readManifestText } from './workspaceFiles';
import { DIAGNOSTIC_SOURCE, findingToDiagnostic, toRange } from './toVscode';

/** Typing pauses shorter than this do not re-lint (the issue asks for ~300 ms). */
export const LINT_DEBOUNCE_MS = 300;

interface CachedLint {
  readonly version: number;
  readonly minimumSeconds: number;
  /** null when the document was skipped (too large). */
  readonly result: ManifestLintResult | null;
}

/**
 * Lints open manifests and publishes their diagnostics. Results are cached per document version and
 * threshold, so the code lens and quick-fix providers reuse the lint the diagnostics triggered
 * instead of parsing the document again.
 */
export class DocumentLinter implements vscode.Disposable {
  private readonly cache = new Map<string, CachedLint>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents the user was already told about (too large, too slow), so they are told once. */
  private readonly told = new Set<string>();
  private readonly linted = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires after a document's lint result changed: code lenses and the workspace index listen. */
  readonly onDidLint = this.linted.event;

  constructor(
    private readonly minimum: MinimumSetting,
    readonly diagnostics: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.lintAndPublish(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document);
      }),
      // Saving changes `isDirty`, which decides whether parse problems are shown (see problemDiagnostic).
      vscode.workspace.onDidSaveTextDocument((d) => this.lintAndPublish(d)),
      vscode.workspace.onDidCloseTextDocument((d) => void this.forget(d.uri)),
      minimum.onDidChange(() => this.relintOpenDocuments()),
      ...forgetDeletedFiles(diagnostics),
    );
    this.relintOpenDocuments();
  }

  /** The lint of the document as it is now, computed if the cache is stale; null if skipped or not a manifest. */
  resultFor(document: vscode.TextDocument, token?: vscode.CancellationToken): ManifestLintResult | null {
    if (!isManifestDocument(document)) return null;
    const key = document.uri.toString();
    const minimumSeconds = this.minimum.minimumSeconds;
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.minimumSeconds === minimumSeconds) return cached.result;

    const result = this.lint(document, minimumSeconds, token);
    // A lint the caller cancelled says nothing about the document; only keep complete or over-budget ones.
    if (!(result?.cancelled && token?.isCancellationRequested)) {
      this.cache.set(key, { version: document.version, minimumSeconds, result });
    }
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
        if (!document.isClosed) this.lintAndPublish(document);
      }, LINT_DEBOUNCE_MS),
    );
  }

  relintOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) this.lintAndPublish(document);
  }

  private lintAndPublish(document: vscode.TextDocument): void {
    if (!isManifestDocument(document)) return;
    const result = this.resultFor(document);
    this.diagnostics.set(document.uri, result ? manifestDiagnostics(result, document.isDirty) : []);
    this.linted.fire(document);
  }

  private lint(
    document: vscode.TextDocument,
    minimumSeconds: number,
    token: vscode.CancellationToken | undefined,
  ): ManifestLintResult | null {
    const name = vscode.workspace.asRelativePath(document.uri);
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
    const check = cancellationCheck(token);
    const started = performance.now();
    const result = lintManifest(text, { minimumSeconds, isCancelled: check.isCancelled });
    this.log.trace(`lint ${name}: ${result.findings.length} findings in ${(performance.now() - started).toFixed(1)} ms`);
    if (result.cancelled && check.overBudget()) {
      this.tellOnce(
        document,
        `Mesh Doctor stopped linting ${name} because it took too long; the connect-timeout findings shown may be incomplete. ` +
          'Run "Mesh Doctor: Lint Workspace" or the mesh-doctor CLI to check it fully.',
      );
    }
    return result;
  }

  private tellOnce(document: vscode.TextDocument, message: string): void {
    const key = document.uri.toString();
    this.log.info(message);
    if (this.told.has(key)) return;
    this.told.add(key);
    void vscode.window.showInformationMessage(message);
  }

  /**
   * A closed document's problems stay in the Problems panel (like a workspace lint's), but for the
   * file as saved: unsaved edits were just discarded.
   */
  private async forget(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.cache.delete(key);
    this.told.delete(key);
    if (!this.diagnostics.get(uri)?.length) return;
    const read = await readManifestText(uri);
    if ('skipped' in read) {
      this.diagnostics.delete(uri);
      return;
    }
    const result = lintManifest(read.text, { minimumSeconds: this.minimum.minimumSeconds, isCancelled: cancellationCheck(undefined).isCancelled });
    this.diagnostics.set(uri, manifestDiagnostics(result, false));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
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
