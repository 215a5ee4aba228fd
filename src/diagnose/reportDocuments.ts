import * as vscode from 'vscode';

export const REPORT_SCHEME = 'mesh-doctor-diagnosis';
/** Reports kept for their previews; older ones are dropped (each holds up to a few hundred evidence lines). */
const MAX_REPORTS = 20;

/**
 * The diagnosis reports as read-only virtual Markdown documents, shown with the built-in Markdown
 * preview. A virtual document rather than a webview: the preview already renders Markdown safely
 * (no scripts, links opened by VS Code), and the report is the same Markdown the CLI writes and
 * Export saves, escaped once by the core builder. Nothing is written to disk until exported.
 */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();
  private next = 1;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);
  }

  /** A new report's URI: numbered, so a second diagnosis never replaces the first one's preview. */
  newUri(): vscode.Uri {
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/diagnosis-${this.next++}.md` });
  }

  /** Sets (or replaces) a report's text; an open preview follows. */
  set(uri: vscode.Uri, markdown: string): void {
    this.texts.set(uri.toString(), markdown);
    for (const key of this.texts.keys()) {
      if (this.texts.size <= MAX_REPORTS) break;
      this.texts.delete(key);
    }
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This report is no longer available: run Mesh Doctor: Diagnose again.';
  }

  /** Opens the report in the Markdown preview. */
  async show(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
