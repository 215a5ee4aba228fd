import * as vscode from 'vscode';
import { type TailHighlightKind } from '../core/envoyLogging/tailHighlight';
import { type TailDocumentHighlight } from './tailDocument';

/** Theme colours, so the marks follow the user's theme; the overview ruler shows where they are. */
export function createTailDecorations(): Record<TailHighlightKind, vscode.TextEditorDecorationType> {
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

export function applyTailDecorations(editor: vscode.TextEditor, types: Record<TailHighlightKind, vscode.TextEditorDecorationType>, highlights: readonly TailDocumentHighlight[]): void {
  const byKind: Record<TailHighlightKind, vscode.Range[]> = { connectTimeout: [], responseFlags: [], connectionReset: [] };
  for (const h of highlights) byKind[h.kind].push(new vscode.Range(h.line, h.start, h.line, h.end));
  for (const kind of Object.keys(byKind) as TailHighlightKind[]) editor.setDecorations(types[kind], byKind[kind]);
}
