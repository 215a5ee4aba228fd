import * as vscode from 'vscode';
import { type TailSession } from '../core/envoyLogging/tailSession';
import { type FeatureContext } from '../ctx';
import { applyPrefixDecorations, applyTailDecorations, createPrefixDecoration, createTailDecorations, type TailDecorations } from './decorations';
import { TAIL_LANGUAGE, TAIL_SCHEME, type TailDocument, type TailDocumentHighlight, type TailDocumentPrefix } from './tailDocument';

/** Renders at most this often: at thousands of lines per second the editor gets ~4 updates a second. */
const RENDER_INTERVAL_MS = 250;

interface OpenTail {
  readonly doc: TailDocument;
  readonly session: TailSession;
  dirty: boolean;
}

/**
 * The tail editors: a read-only virtual document per tail (TextDocumentContentProvider), updated by
 * a throttled onDidChange; after each update the decorations are re-applied and editors scrolled to
 * the end. Closing the editor (its tab) stops the session.
 */
export class TailManager implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly tails = new Map<string, OpenTail>();
  private readonly decorations: TailDecorations;
  private readonly prefixDecoration: vscode.TextEditorDecorationType;
  private readonly timer: NodeJS.Timeout;
  private counter = 0;
  /** Tails whose document VS Code closes and reopens to change its language: not a close by the user. */
  private readonly changingLanguage = new Set<string>();

  constructor(private readonly ctx: FeatureContext) {
    this.decorations = createTailDecorations();
    this.prefixDecoration = createPrefixDecoration();
    ctx.own(vscode.workspace.registerTextDocumentContentProvider(TAIL_SCHEME, this));
    ctx.own(vscode.workspace.onDidChangeTextDocument((e) => this.refreshEditors(e.document.uri)));
    ctx.own(vscode.window.onDidChangeVisibleTextEditors(() => this.tails.forEach((t) => this.refreshEditors(t.doc.uri))));
    ctx.own(vscode.window.tabGroups.onDidChangeTabs((e) => e.closed.length > 0 && this.stopClosed()));
    ctx.own(vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === TAIL_SCHEME && !this.changingLanguage.has(d.uri.toString()) && void this.stop(d.uri)));
    this.timer = setInterval(() => this.flush(), RENDER_INTERVAL_MS);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.tails.get(uri.toString())?.doc.text() ?? '# This tail has stopped. Run "Tail Envoy logs" again to restart it.';
  }

  /** A fresh URI for a tail; the path is the title VS Code shows on the tab. */
  newUri(title: string): vscode.Uri {
    return vscode.Uri.from({ scheme: TAIL_SCHEME, path: `/${title.replace(/[\\/]/g, '-')}.log`, query: `n=${++this.counter}` });
  }

  async open(doc: TailDocument, session: TailSession): Promise<vscode.TextEditor> {
    const tail: OpenTail = { doc, session, dirty: false };
    this.tails.set(doc.uri.toString(), tail);
    // Its own language, so word wrap is on for tails (package.json configurationDefaults) and
    // nowhere else: the user's own editor.wordWrap stays as it is. VS Code closes and reopens the
    // document to change its language; that close must not stop the tail.
    const key = doc.uri.toString();
    this.changingLanguage.add(key);
    let textDoc: vscode.TextDocument;
    try {
      textDoc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(doc.uri), TAIL_LANGUAGE);
    } finally {
      this.changingLanguage.delete(key);
    }
    return vscode.window.showTextDocument(textDoc, { preview: false });
  }

  markDirty(uri: vscode.Uri): void {
    const t = this.tails.get(uri.toString());
    if (t) t.dirty = true;
  }

  /** Text, highlights and prefixes of an open tail (integration tests compare them with the editor). */
  snapshot(uri: vscode.Uri): { text: string; highlights: TailDocumentHighlight[]; prefixes: TailDocumentPrefix[] } | undefined {
    const t = this.tails.get(uri.toString());
    return t && { text: t.doc.text(), highlights: t.doc.highlights(), prefixes: t.doc.prefixes() };
  }

  openUris(): vscode.Uri[] {
    return [...this.tails.values()].map((t) => t.doc.uri);
  }

  async stop(uri: vscode.Uri): Promise<void> {
    const t = this.tails.get(uri.toString());
    if (!t) return;
    this.tails.delete(uri.toString());
    await t.session.stop();
    this.ctx.output.info(`Stopped tailing ${t.doc.title}`);
  }

  private flush(): void {
    for (const t of this.tails.values()) {
      if (!t.dirty) continue;
      t.dirty = false;
      this.changed.fire(t.doc.uri);
    }
  }

  private refreshEditors(uri: vscode.Uri): void {
    if (uri.scheme !== TAIL_SCHEME) return;
    const t = this.tails.get(uri.toString());
    if (!t) return;
    const highlights = t.doc.highlights();
    const prefixes = t.doc.prefixes();
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== uri.toString()) continue;
      applyTailDecorations(editor, this.decorations, highlights);
      applyPrefixDecorations(editor, this.prefixDecoration, prefixes);
      const last = editor.document.lineCount - 1;
      editor.revealRange(new vscode.Range(last, 0, last, 0), vscode.TextEditorRevealType.Default);
    }
  }

  private stopClosed(): void {
    const open = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) open.add(tab.input.uri.toString());
    }
    for (const key of [...this.tails.keys()]) if (!open.has(key)) void this.stop(vscode.Uri.parse(key));
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const t of this.tails.values()) void t.session.stop();
    this.tails.clear();
    for (const d of Object.values(this.decorations)) d.dispose();
    this.prefixDecoration.dispose();
    this.changed.dispose();
  }
}
