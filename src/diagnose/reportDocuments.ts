import { randomUUID } from 'node:crypto';
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
  /**
   * In every URI, so that numbers never collide with another instance's: a preview VS Code restores
   * after a reload would otherwise show a newer diagnosis under an old one's name.
   */
  private readonly instance = randomUUID().slice(0, 8);
  /** The instances alive in this extension host (one in the product; tests build more). */
  private static readonly live = new Set<string>();
  private readonly registration: vscode.Disposable;

  constructor() {
    ReportDocuments.live.add(this.instance);
    this.registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);
  }

  /** A new report's URI: numbered, so a second diagnosis never replaces the first one's preview. */
  newUri(): vscode.Uri {
    return vscode.Uri.from({ scheme: REPORT_SCHEME, authority: this.instance, path: `/diagnosis-${this.next++}.md` });
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

  /**
   * VS Code asks each provider of the scheme in turn until one answers: another live instance's
   * reports are left to it; ours, and those of a window before a reload, get the text or a note.
   */
  provideTextDocumentContent(uri: vscode.Uri): string | undefined {
    if (uri.authority !== this.instance && ReportDocuments.live.has(uri.authority)) return undefined;
    return this.texts.get(uri.toString()) ?? 'This report is no longer available: run Mesh Doctor: Diagnose again.';
  }

  /** Opens the report in the Markdown preview. */
  async show(uri: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  dispose(): void {
    ReportDocuments.live.delete(this.instance);
    this.registration.dispose();
    this.changed.dispose();
  }
}
