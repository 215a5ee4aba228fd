import * as vscode from 'vscode';
import type { ConnectTimeoutSetting, LocatedSetting } from '../core/lint';
import { revealInvisible } from '../core/text/invisible';
import { MANIFEST_GLOB } from './documentSelector';
import type { DocumentLinter } from './documentLinter';
import { lintFailureReason, type LintWorkerClient } from './lintWorkerClient';
import type { Configuration } from '../services/configuration';
import { displayName, findManifestFiles, readManifestText } from './workspaceFiles';

/**
 * A connect timeout setting and the workspace file it is written in: the core's located setting
 * (`file` is the workspace-relative path, for display) plus the URI to open it.
 */
export interface IndexedSetting extends LocatedSetting {
  readonly uri: vscode.Uri;
}

/**
 * Every connect timeout set anywhere in the workspace's YAML, kept current as files are saved,
 * created, deleted or edited. The precedence lenses use it to say which DestinationRules override a
 * mesh-wide value, and the mesh explorer's "Find where this is set" looks values up in it.
 */
export class WorkspaceSettingsIndex implements vscode.Disposable {
  private readonly byFile = new Map<string, IndexedSetting[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly scanCancellation = new vscode.CancellationTokenSource();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly initialScan: Promise<void>;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly worker: LintWorkerClient,
    private readonly linter: DocumentLinter,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void this.indexFile(uri)),
      // A save of an open document is indexed from its lint (below); only outside changes are read here.
      watcher.onDidChange((uri) => {
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) void this.indexFile(uri);
      }),
      watcher.onDidDelete((uri) => this.remove(uri)),
      // Open documents are linted anyway; take their settings from that lint instead of parsing twice.
      linter.onDidLint((document) => void this.indexDocument(document)),
      // Closing without saving drops the unsaved edits: go back to the file on disk.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.byFile.has(document.uri.toString())) void this.indexFile(document.uri);
      }),
    );
    this.initialScan = this.scanWorkspace(this.scanCancellation.token);
  }

  /** Every setting currently known, in no particular order. */
  all(): IndexedSetting[] {
    return [...this.byFile.values()].flat();
  }

  /** Resolves once the first scan of the workspace has finished (or was cancelled). */
  ready(): Promise<void> {
    return this.initialScan;
  }

  private async scanWorkspace(token: vscode.CancellationToken): Promise<void> {
    try {
      const uris = await findManifestFiles(token);
      for (const uri of uris) {
        if (token.isCancellationRequested) return;
        await this.indexFile(uri, token);
      }
      this.log.info(`Indexed connect timeouts in ${uris.length} workspace YAML files: ${this.all().length} settings.`);
    } catch (err) {
      this.log.warn(`Workspace scan for connect timeouts failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async indexFile(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<void> {
    if (!this.inWorkspace(uri)) return;
    const read = await readManifestText(uri);
    if (token?.isCancellationRequested) return;
    if ('skipped' in read) {
      this.log.debug(revealInvisible(`Not indexing ${displayName(uri)}: ${read.skipped}`));
      this.set(uri, []);
      return;
    }
    const outcome = await this.worker.lint(read.text, this.config.minimum.seconds, token, 'background');
    if (outcome.kind !== 'done') {
      this.log.warn(revealInvisible(`Not indexing ${displayName(uri)}: ${lintFailureReason(outcome)}`));
      this.set(uri, []);
      return;
    }
    if (outcome.result.cancelled) return;
    this.set(uri, outcome.result.isIstio ? outcome.result.settings : []);
  }

  private async indexDocument(document: vscode.TextDocument): Promise<void> {
    if (!this.inWorkspace(document.uri)) return;
    const version = document.version;
    // Already computed: onDidLint fires after this version's lint finished.
    const result = await this.linter.resultFor(document);
    if (document.version !== version || result?.cancelled) return;
    this.set(document.uri, result?.isIstio ? result.settings : []);
  }

  private set(uri: vscode.Uri, settings: readonly ConnectTimeoutSetting[]): void {
    const key = uri.toString();
    // Nothing was known and nothing is found: the common case for non-Istio YAML, no event needed.
    if (settings.length === 0 && !this.byFile.has(key)) return;
    if (settings.length === 0) this.byFile.delete(key);
    else {
      const file = displayName(uri);
      this.byFile.set(key, settings.map((setting) => ({ file, uri, setting })));
    }
    this.changed.fire();
  }

  private remove(uri: vscode.Uri): void {
    // A deleted folder reports only its own URI: drop every file below it too.
    const prefix = `${uri.toString()}/`;
    let removed = false;
    for (const key of [...this.byFile.keys()]) {
      if (key === uri.toString() || key.startsWith(prefix)) removed = this.byFile.delete(key) || removed;
    }
    if (removed) this.changed.fire();
  }

  private inWorkspace(uri: vscode.Uri): boolean {
    return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  dispose(): void {
    this.scanCancellation.cancel();
    this.scanCancellation.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
