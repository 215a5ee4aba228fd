import * as vscode from 'vscode';
import { classifyLogFileText } from '../core/envoyLogging/tailHighlight';
import { applyTailDecorations, createTailDecorations, type TailDecorations } from './decorations';
import { TAIL_SCHEME, type TailDocumentHighlight } from './tailDocument';
import { linesToHighlight } from './visibleLines';

/** Characters of one line looked at: of a line megabytes long, only its start. */
const MAX_LINE_CHARS = 20_000;
/** Scrolling and typing fire many events a second; highlight once they pause this long. */
const DEBOUNCE_MS = 100;

/** A log the user opened (a `.log` file or a document in the Log language); not a tail, not an output channel. */
export function isLogDocument(document: vscode.TextDocument): boolean {
  const scheme = document.uri.scheme;
  if (scheme === TAIL_SCHEME || scheme === 'output') return false;
  return document.languageId === 'log' || document.uri.path.toLowerCase().endsWith('.log');
}

interface Applied {
  /** Document version and lines the highlights were computed for: a scroll within them changes nothing. */
  readonly key: string;
  readonly highlights: readonly TailDocumentHighlight[];
}

/**
 * The tail's highlighting (connect timeouts, failure response flags, `Connection reset`) in any
 * log file: only the lines on screen and a margin around them, so a huge log costs no more than
 * a small one.
 */
export class LogFileHighlighter implements vscode.Disposable {
  private readonly decorations: TailDecorations = createTailDecorations();
  private readonly applied = new Map<vscode.TextEditor, Applied>();
  private readonly pending = new Set<vscode.TextEditor>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of this.applied.keys()) if (!editors.includes(editor)) this.applied.delete(editor);
        editors.forEach((e) => this.schedule(e));
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.document) this.schedule(editor);
      }),
      vscode.workspace.onDidOpenTextDocument(() => vscode.window.visibleTextEditors.forEach((e) => this.schedule(e))),
    ];
    vscode.window.visibleTextEditors.forEach((e) => this.schedule(e));
  }

  /** What is highlighted in the visible editors of `uri` (integration tests compare it with the document). */
  highlightsOf(uri: vscode.Uri): readonly TailDocumentHighlight[] | undefined {
    for (const [editor, applied] of this.applied) if (editor.document.uri.toString() === uri.toString()) return applied.highlights;
    return undefined;
  }

  private schedule(editor: vscode.TextEditor): void {
    if (!isLogDocument(editor.document)) return;
    this.pending.add(editor);
    this.timer ??= setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const visible = new Set(vscode.window.visibleTextEditors);
    for (const editor of this.pending) if (visible.has(editor) && isLogDocument(editor.document)) this.highlight(editor);
    this.pending.clear();
  }

  private highlight(editor: vscode.TextEditor): void {
    const document = editor.document;
    const spans = linesToHighlight(editor.visibleRanges.map((r) => ({ start: r.start.line, end: r.end.line })), document.lineCount);
    const key = `${document.version}:${spans.map((s) => `${s.start}-${s.end}`).join(',')}`;
    if (this.applied.get(editor)?.key === key) return;
    const highlights: TailDocumentHighlight[] = [];
    for (const span of spans) {
      for (let line = span.start; line <= span.end; line++) {
        const text = document.lineAt(line).text.slice(0, MAX_LINE_CHARS);
        for (const h of classifyLogFileText(text)) highlights.push({ kind: h.kind, line, start: h.start, end: h.end });
      }
    }
    applyTailDecorations(editor, this.decorations, highlights);
    this.applied.set(editor, { key, highlights });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    for (const d of Object.values(this.decorations)) d.dispose();
    this.applied.clear();
  }
}
