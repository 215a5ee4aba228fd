import type * as vscode from 'vscode';
import type { UserInterface } from '../services/ui';
import { AnnotatorPanel, type AnnotatorRun, type LinkHandler } from './annotatorPanel';
import { parsePersistedState, restoredSummary, type RunGrants } from './protocol';

/** workspaceState key of the grants of recent runs, newest first. */
const GRANTS_KEY = 'meshDoctor.annotator.runGrants';
/** Runs remembered: only the panel's current run can be restored, a few cover reload races. */
const GRANTS_KEPT = 5;

/**
 * Keeps the one annotator panel: a new run replaces what it shows (and reveals it) rather than
 * opening a panel per run; a panel VS Code restores after a reload is adopted here (`restore`).
 */
export class AnnotatorPanels implements vscode.Disposable {
  private panel: AnnotatorPanel | undefined;
  private lastRunId = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onLink: LinkHandler,
    private readonly log: vscode.LogOutputChannel,
    /** The workspace's memento: which files and pods each recent run may open or name. */
    private readonly memory: vscode.Memento,
    private readonly ui: UserInterface,
  ) {}

  /** Adopts a panel VS Code restored after a reload, with the state its webview saved (untrusted). */
  restore(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    const persisted = parsePersistedState(state);
    if (state !== undefined && !persisted) this.log.warn('Annotator: the restored panel state was not understood; the panel starts empty.');
    if (persisted) this.lastRunId = Math.max(this.lastRunId, persisted.run.runId);
    const grants = this.memory.get<RunGrants[]>(GRANTS_KEY, []);
    const restored = persisted && { ...persisted, run: restoredSummary(persisted, grants) };
    if (persisted && !grants.some((g) => g.runId === persisted.run.runId)) {
      this.log.warn('Annotator: the restored run is not one this workspace annotated; its links to files and pods are disabled.');
    }
    this.adopt(AnnotatorPanel.revive(webviewPanel, restored, this.extensionUri, this.onLink, this.log, this.ui));
  }

  private async remember(run: AnnotatorRun): Promise<void> {
    const { runId, sources, pods } = run.summary;
    const kept = this.memory.get<RunGrants[]>(GRANTS_KEY, []).filter((g) => g.runId !== runId);
    await this.memory.update(GRANTS_KEY, [{ runId, sources, pods }, ...kept].slice(0, GRANTS_KEPT));
  }

  /** Ids grow across reloads (they start from the clock), so a restored run never shares an id with a new one. */
  nextRunId(): number {
    this.lastRunId = Math.max(Date.now(), this.lastRunId + 1);
    return this.lastRunId;
  }

  show(run: AnnotatorRun): AnnotatorPanel {
    const panel = this.panel ?? this.adopt(AnnotatorPanel.create(this.extensionUri, this.onLink, this.log, this.ui));
    // Visible first: a hidden webview may have dropped its page, and messages posted to it are lost.
    panel.reveal();
    panel.show(run);
    void this.remember(run);
    return panel;
  }

  /** The panel on screen, if any: what its webview posts arrives at its `receive`. */
  current(): AnnotatorPanel | undefined {
    return this.panel;
  }

  private adopt(panel: AnnotatorPanel): AnnotatorPanel {
    this.panel?.dispose();
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
