import * as vscode from 'vscode';
import { type TailHighlightKind } from '../core/envoyLogging/tailHighlight';
import { type TailDocumentHighlight, type TailDocumentPrefix } from './tailDocument';

export type TailDecorations = Record<TailHighlightKind, vscode.TextEditorDecorationType>;

/** Theme colours, so the marks follow the user's theme; the overview ruler shows where they are. */
export function createTailDecorations(): TailDecorations {
  const make = (color: string, ruler: string): vscode.TextEditorDecorationType =>
    vscode.window.createTextEditorDecorationType({
      color: new vscode.ThemeColor(color),
      fontWeight: 'bold',
      border: '1px solid',
      borderColor: new vscode.ThemeColor(color),
      overviewRulerColor: new vscode.ThemeColor(ruler),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
  return {
    connectTimeout: make('editorError.foreground', 'editorOverviewRuler.errorForeground'),
    responseFlags: make('editorWarning.foreground', 'editorOverviewRuler.warningForeground'),
    connectionReset: make('editorError.foreground', 'editorOverviewRuler.errorForeground'),
  };
}

/** Highlights in document coordinates (0-based lines), the same marks in a tail and in a .log file. */
export function applyTailDecorations(editor: vscode.TextEditor, types: TailDecorations, highlights: readonly TailDocumentHighlight[]): void {
  const byKind: Record<TailHighlightKind, vscode.Range[]> = { connectTimeout: [], responseFlags: [], connectionReset: [] };
  for (const h of highlights) byKind[h.kind].push(new vscode.Range(h.line, h.start, h.line, h.end));
  for (const kind of Object.keys(byKind) as TailHighlightKind[]) editor.setDecorations(types[kind], byKind[kind]);
}

/** The short pod/container prefix, dimmed so the log text stands out. */
export function createPrefixDecoration(): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({ color: new vscode.ThemeColor('descriptionForeground') });
}

/** Each prefix with the full pod and container names as its hover (plain text, never Markdown). */
export function applyPrefixDecorations(editor: vscode.TextEditor, type: vscode.TextEditorDecorationType, prefixes: readonly TailDocumentPrefix[]): void {
  editor.setDecorations(
    type,
    prefixes.map((p) => ({
      range: new vscode.Range(p.line, 0, p.line, p.end),
      hoverMessage: new vscode.MarkdownString().appendText(`pod ${p.pod}, container ${p.container}`),
    })),
  );
}
