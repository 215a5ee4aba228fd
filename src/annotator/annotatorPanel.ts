import * as vscode from 'vscode';
import type { UserInterface } from '../services/ui';
import {
  ANNOTATOR_VIEW_TYPE,
  type HostToWebview,
  type PersistedAnnotatorState,
  parseWebviewMessage,
  type ResetGroup,
  runMessages,
  type RunSummary,
  type TimelineEvent,
  type WebviewToHost,
  type WireReset,
} from './protocol';
import { annotatorHtml, annotatorWebviewOptions } from './webviewHtml';

/** Everything one correlation run shows; kept by the panel so its links can check what they name. */
export interface AnnotatorRun {
  readonly summary: RunSummary;
  readonly resets: readonly WireReset[];
  /** The resets grouped by cause and destination, as the panel lists them. */
  readonly groups: readonly ResetGroup[];
  readonly timeline: readonly TimelineEvent[];
}

/** Requests from the webview that leave the panel (open a document, hand a pod or cluster to another feature). */
export type LinkRequest = Exclude<WebviewToHost, { type: 'ready' }>;
/** Resolves with what the linked feature answered (e.g. whether the Mesh view found the cluster). */
export type LinkHandler = (request: LinkRequest, run: AnnotatorRun, panel: vscode.WebviewPanel) => Promise<unknown>;

/**
 * One annotator webview panel. It streams a run to the webview in chunks, replays it when the
 * webview reloads without its state, and passes validated link requests to `onLink`.
 */
export class AnnotatorPanel implements vscode.Disposable {
  private run: AnnotatorRun | null;
  private ready = false;
  private disposed = false;
  /** Bumped per delivery, so a slow delivery stops when a newer run replaces it. */
  private delivery = 0;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly onDidDispose = this.disposedEmitter.event;

  static create(extensionUri: vscode.Uri, onLink: LinkHandler, log: vscode.LogOutputChannel, ui: UserInterface): AnnotatorPanel {
    // A tab in the active editor group, so the panel gets the group's full width (a new group
    // beside it, ViewColumn.Beside, would halve it). The API cannot maximise a group without
    // changing the user's layout; opening a log line from the panel splits then (links.ts).
    const panel = vscode.window.createWebviewPanel(
      ANNOTATOR_VIEW_TYPE,
      'Connection resets',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      annotatorWebviewOptions(extensionUri),
    );
    return new AnnotatorPanel(panel, extensionUri, onLink, log, ui, null);
  }

  /**
   * Takes over a panel VS Code restored after a reload, with the state its webview had saved; the
   * caller has replaced the run's sources and pods by the extension's own record (restoredSummary).
   */
  static revive(
    panel: vscode.WebviewPanel,
    state: PersistedAnnotatorState | null,
    extensionUri: vscode.Uri,
    onLink: LinkHandler,
    log: vscode.LogOutputChannel,
    ui: UserInterface,
  ): AnnotatorPanel {
    panel.webview.options = annotatorWebviewOptions(extensionUri);
    const run = state ? { summary: state.run, resets: state.resets, groups: state.groups, timeline: state.timeline } : null;
    return new AnnotatorPanel(panel, extensionUri, onLink, log, ui, run);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onLink: LinkHandler,
    private readonly log: vscode.LogOutputChannel,
    private readonly ui: UserInterface,
    restored: AnnotatorRun | null,
  ) {
    this.run = restored;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mesh-doctor.svg');
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = annotatorHtml(panel.webview, extensionUri);
  }

  /** The run on show (restored or last shown), null before one. */
  current(): AnnotatorRun | null {
    return this.run;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  show(run: AnnotatorRun): void {
    this.run = run;
    this.panel.title = `Connection resets: ${run.summary.title}`;
    if (this.ready) void this.deliver(run);
  }

  /**
   * Handles one message as the webview sent it (validation included) and resolves with the link's
   * answer, e.g. whether the Mesh view found the cluster.
   */
  async receive(raw: unknown): Promise<unknown> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn('Annotator webview sent a message that is not part of the protocol; ignored.');
      return undefined;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // A webview that restored this very run from its own state needs nothing resent.
        if (this.run && message.restoredRunId !== this.run.summary.runId) await this.deliver(this.run);
        return undefined;
      default:
        if (!this.run) return undefined;
        try {
          return await this.onLink(message, this.run, this.panel);
        } catch (err) {
          const text = err instanceof Error ? err.message : String(err);
          this.log.error(`Annotator link ${message.type} failed: ${text}`);
          void this.ui.notify('error', `Mesh Doctor: ${text}`);
          return undefined;
        }
    }
  }

  private async deliver(run: AnnotatorRun): Promise<void> {
    const delivery = ++this.delivery;
    for (const step of runMessages(run.summary, run.resets, run.groups, run.timeline)) {
      if (delivery !== this.delivery) return;
      if (!(await this.post(step))) return;
    }
  }

  private async post(message: HostToWebview): Promise<boolean> {
    try {
      return await this.panel.webview.postMessage(message);
    } catch {
      // The panel was closed while a run was being delivered: nothing left to show it in.
      return false;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.delivery++;
    this.disposedEmitter.fire();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.disposedEmitter.dispose();
    this.panel.dispose();
  }
}
