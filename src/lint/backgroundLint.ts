import * as vscode from 'vscode';
import type { Configuration } from '../services/configuration';
import { isExcludedPath, MANIFEST_OR_JSON_GLOB } from './documentSelector';
import type { LintWorkerClient } from './lintWorkerClient';
import { lintWorkspaceFiles } from './workspaceLintRun';

/** The first run waits this long, so activation (and the first editor's lint) settles before the workspace is read. */
export const BACKGROUND_START_DELAY_MS = 1500;
/** File changes come in bursts (a save-all, a branch switch): one run per burst. */
const CHANGE_BATCH_MS = 300;

/** What a run covers: the whole workspace, or the files that changed. */
type Scope = 'workspace' | Map<string, vscode.Uri>;

const merged = (a: Scope | undefined, b: Scope): Scope =>
  a === undefined ? b : a === 'workspace' || b === 'workspace' ? 'workspace' : new Map([...a, ...b]);

/**
 * `meshDoctor.lint.background`: the workspace's manifests in the Problems panel without opening
 * them, through Lint Workspace's own run (bounded the same way, behind the editor's lints on the
 * worker). The whole workspace is linted once activation settles and again when a setting that
 * changes the findings does; a file created or changed on disk is linted again. A new run cancels
 * the one in progress and takes over what it had not finished; disposing cancels it.
 */
export class BackgroundLint implements vscode.Disposable {
  private pending: Scope | undefined;
  private running: { scope: Scope; cancellation: vscode.CancellationTokenSource } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly worker: LintWorkerClient,
    private readonly config: Configuration,
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Deletions are handled by the document linter, which drops a deleted file's problems.
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_OR_JSON_GLOB, false, false, true);
    const changed = (uri: vscode.Uri): void => {
      if (this.wanted(uri)) this.queue(new Map([[uri.toString(), uri]]), CHANGE_BATCH_MS);
    };
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(changed),
      watcher.onDidChange(changed),
      config.onDidChange(['lint.background', 'connectTimeout.minimum', 'lint.maxFileSizeMB', 'lint.includeJson'], () => this.queue('workspace', CHANGE_BATCH_MS)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.queue('workspace', CHANGE_BATCH_MS)),
    );
    this.queue('workspace', BACKGROUND_START_DELAY_MS);
  }

  private wanted(uri: vscode.Uri): boolean {
    const json = uri.path.toLowerCase().endsWith('.json');
    return vscode.workspace.getWorkspaceFolder(uri) !== undefined && !isExcludedPath(uri.path) && (!json || this.config.current.lintIncludeJson);
  }

  private queue(scope: Scope, delayMs: number): void {
    this.pending = merged(this.pending, scope);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), delayMs);
  }

  private start(): void {
    this.timer = undefined;
    const previous = this.running;
    // Cancelled before it finished: what it covered is linted by this run.
    const scope = merged(this.pending, previous?.scope ?? new Map());
    this.pending = undefined;
    previous?.cancellation.cancel();
    this.running = undefined;
    if (!this.config.current.lintBackground || (vscode.workspace.workspaceFolders ?? []).length === 0) return;
    const cancellation = new vscode.CancellationTokenSource();
    const run = { scope, cancellation };
    this.running = run;
    const uris = scope === 'workspace' ? undefined : [...scope.values()];
    void lintWorkspaceFiles(this.worker, this.config, this.diagnostics, this.log, { token: cancellation.token, uris, skipOpen: true })
      .then((summary) => {
        if (!summary.cancelled) this.log.debug(`Background lint: ${summary.linted} of ${summary.files} files, ${summary.findings} findings.`);
      })
      .catch((err: unknown) => this.log.warn(`Background lint failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (this.running === run) this.running = undefined;
        cancellation.dispose();
      });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
    this.running?.cancellation.cancel();
    this.running = undefined;
    for (const s of this.subscriptions) s.dispose();
  }
}
