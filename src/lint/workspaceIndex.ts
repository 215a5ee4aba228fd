import * as vscode from 'vscode';
import { type ConnectTimeoutSetting, type FileFacts, type LocatedSetting, type ManifestLintResult, type MeshFacts } from '../core/lint';
import { revealInvisible } from '../core/text/invisible';
import { MANIFEST_OR_JSON_GLOB } from './documentSelector';
import type { DocumentLinter } from './documentLinter';
import { lintFailureReason, type LintWorkerClient } from './lintWorkerClient';
import type { Configuration } from '../services/configuration';
import { displayName, findManifestFiles, readManifestFromDisk, readManifestText } from './workspaceFiles';

/**
 * A connect timeout setting and the workspace file it is written in: the core's located setting
 * (`file` is the workspace-relative path, for display) plus the URI to open it.
 */
export interface IndexedSetting extends LocatedSetting {
  readonly uri: vscode.Uri;
}

/** One file's facts for the cross-file rules, and its URI. */
export interface IndexedFacts extends FileFacts {
  readonly uri: vscode.Uri;
}

/** What the index keeps of one file: its settings, and the facts the cross-file rules join. */
interface IndexedFile {
  readonly uri: vscode.Uri;
  readonly file: string;
  readonly settings: IndexedSetting[];
  readonly facts: MeshFacts | null;
}

const hasFacts = (facts: MeshFacts): boolean => Object.values(facts).some((list: readonly unknown[]) => list.length > 0);

/**
 * Every connect timeout set anywhere in the workspace's manifests, and what each file says that
 * other files' rules need (PeerAuthentication, DestinationRule TLS, Services, namespaces,
 * workloads, mesh configs), kept current as files are saved, created, deleted or edited. The
 * precedence lenses use it to say which DestinationRules override a mesh-wide value, the
 * cross-file diagnostics join its facts, and the mesh explorer's "Find where this is set" looks
 * values up in it.
 */
export class WorkspaceSettingsIndex implements vscode.Disposable {
  private readonly byFile = new Map<string, IndexedFile>();
  /**
   * Per file, the latest indexing started: a read and lint of a file can finish after a later one
   * (a watcher event and the editor's lint of the same file, an old version's lint), and only the
   * latest may set what the index holds, or a stale text's facts would stay.
   */
  private readonly latest = new Map<string, number>();
  private nextTicket = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  private scanCancellation = new vscode.CancellationTokenSource();
  private readonly subscriptions: vscode.Disposable[] = [];
  private initialScan: Promise<void>;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly worker: LintWorkerClient,
    private readonly linter: DocumentLinter,
    private readonly config: Configuration,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // JSON too, so turning meshDoctor.lint.includeJson on needs no new watcher; indexFile filters by the setting.
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_OR_JSON_GLOB);
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void this.indexFile(uri)),
      // A save of an open document is indexed from its lint (below). An outside change of an open, unsaved-edit-free
      // document is read from disk: the editor reloads its text only when its own watcher gets to it.
      watcher.onDidChange((uri) => {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (open === undefined) void this.indexFile(uri);
        else if (!open.isDirty) void this.indexFile(uri, undefined, readManifestFromDisk);
      }),
      watcher.onDidDelete((uri) => this.remove(uri)),
      // Open documents are linted anyway; take their settings from that lint instead of parsing twice.
      linter.onDidLint((document) => void this.indexDocument(document)),
      // Closing without saving drops the unsaved edits: go back to the file on disk.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.byFile.has(document.uri.toString())) void this.indexFile(document.uri);
      }),
      config.onDidChange(['lint.includeJson'], () => this.rescan()),
    );
    this.initialScan = this.scanWorkspace(this.scanCancellation.token);
  }

  /** Every setting currently known, in no particular order. */
  all(): IndexedSetting[] {
    return [...this.byFile.values()].flatMap((f) => f.settings);
  }

  /** Every file's facts for the cross-file rules, named as the settings are, with the URI to open. */
  facts(): IndexedFacts[] {
    return [...this.byFile.values()].flatMap((f) => (f.facts === null ? [] : [{ file: f.file, uri: f.uri, facts: f.facts }]));
  }

  /** The setting changed which files are scanned: drop what no longer counts, read what now does. */
  private rescan(): void {
    this.scanCancellation.cancel();
    this.scanCancellation.dispose();
    this.scanCancellation = new vscode.CancellationTokenSource();
    let removed = false;
    for (const [key, f] of [...this.byFile]) if (!this.wanted(f.uri)) removed = this.byFile.delete(key) || removed;
    if (removed) this.changed.fire();
    this.initialScan = this.scanWorkspace(this.scanCancellation.token);
  }

  private wanted(uri: vscode.Uri): boolean {
    return this.inWorkspace(uri) && (this.config.current.lintIncludeJson || !uri.path.toLowerCase().endsWith('.json'));
  }

  /** Resolves once the first scan of the workspace has finished (or was cancelled). */
  ready(): Promise<void> {
    return this.initialScan;
  }

  private async scanWorkspace(token: vscode.CancellationToken): Promise<void> {
    try {
      const uris = await findManifestFiles(token, this.config.current.lintIncludeJson);
      for (const uri of uris) {
        if (token.isCancellationRequested) return;
        await this.indexFile(uri, token);
      }
      this.log.info(`Indexed connect timeouts in ${uris.length} workspace YAML files: ${this.all().length} settings.`);
    } catch (err) {
      this.log.warn(`Workspace scan for connect timeouts failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** `readText`: the open document's text if any (the default), or the file as saved. */
  private async indexFile(uri: vscode.Uri, token?: vscode.CancellationToken, readText = readManifestText): Promise<void> {
    if (!this.wanted(uri)) return;
    const ticket = this.start(uri);
    const read = await readText(uri);
    if (token?.isCancellationRequested) return;
    if ('skipped' in read) {
      this.log.debug(revealInvisible(`Not indexing ${displayName(uri)}: ${read.skipped}`));
      this.set(uri, null, ticket);
      return;
    }
    await this.indexText(uri, read.text, ticket, token);
  }

  /** Starts indexing `uri`: the ticket `set` needs, which a later start makes stale. */
  private start(uri: vscode.Uri): number {
    const ticket = ++this.nextTicket;
    this.latest.set(uri.toString(), ticket);
    return ticket;
  }

  /** A background lint, which also reads plain workloads (a Deployment the drain rule judges). */
  private async indexText(uri: vscode.Uri, text: string, ticket: number, token?: vscode.CancellationToken): Promise<void> {
    // The scan (it passes a token) waits behind the user's lints; a file that just changed, or
    // was just linted in the editor, is what the user is working on and goes ahead of both scans.
    const outcome = await this.worker.lint(text, this.config.minimum.seconds, token, token === undefined ? 'interactive' : 'background', true);
    if (outcome.kind !== 'done') {
      this.log.warn(revealInvisible(`Not indexing ${displayName(uri)}: ${lintFailureReason(outcome)}`));
      this.set(uri, null, ticket);
      return;
    }
    if (outcome.result.cancelled) return;
    this.set(uri, outcome.result, ticket);
  }

  private async indexDocument(document: vscode.TextDocument): Promise<void> {
    if (!this.inWorkspace(document.uri)) return;
    const ticket = this.start(document.uri);
    const version = document.version;
    // Already computed: onDidLint fires after this version's lint finished.
    const result = await this.linter.resultFor(document);
    if (document.version !== version || result?.cancelled) return;
    // The editor's own lint skips workloads and Services that yield only facts; the cross-file rules need them.
    if (result?.skippedWorkloads === true) return this.indexText(document.uri, document.getText(), ticket);
    this.set(document.uri, result, ticket);
  }

  private set(uri: vscode.Uri, result: ManifestLintResult | null, ticket: number): void {
    const key = uri.toString();
    if (this.latest.get(key) !== ticket) return;
    const settings: readonly ConnectTimeoutSetting[] = result?.isIstio ? result.settings : [];
    const facts = result !== null && hasFacts(result.facts) ? result.facts : null;
    // Nothing was known and nothing is found: the common case for non-Istio YAML, no event needed.
    if (settings.length === 0 && facts === null && !this.byFile.has(key)) return;
    if (settings.length === 0 && facts === null) this.byFile.delete(key);
    else {
      const file = displayName(uri);
      this.byFile.set(key, { uri, file, settings: settings.map((setting) => ({ file, uri, setting })), facts });
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
    // An indexing still under way for a deleted file must not bring it back.
    for (const key of [...this.latest.keys()]) if (key === uri.toString() || key.startsWith(prefix)) this.latest.delete(key);
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
