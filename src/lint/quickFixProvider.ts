import * as vscode from 'vscode';
import { fixAllEdits, type ConnectTimeoutFinding, type FixEdit } from '../core/lint';
import type { DocumentLinter } from './documentLinter';
import { raiseEdit } from './raiseConnectTimeout';
import { DIAGNOSTIC_SOURCE, diagnosticCode, toRange } from './toVscode';

/** `source.fixAll.meshDoctor`: what `editor.codeActionsOnSave` and "Fix All" run for Mesh Doctor. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('meshDoctor');
export const FIX_ALL_IN_FILE_TITLE = 'Fix all Mesh Doctor problems in this file';

/** Every fix as one workspace edit, so applying them is one undo step. */
export function fixAllEdit(uri: vscode.Uri, fixes: readonly FixEdit[], edit = new vscode.WorkspaceEdit()): vscode.WorkspaceEdit {
  for (const fix of fixes) edit.replace(uri, toRange(fix.range), fix.replacement);
  return edit;
}

/**
 * The preferred quick fix on a low connect timeout: raise it to the minimum (Ctrl+. or the
 * lightbulb); with more than one fix in the file, a quick fix that applies them all; and the
 * file's fix-all source action.
 */
export class RaiseConnectTimeoutQuickFix implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] };

  constructor(private readonly linter: DocumentLinter) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const quickFixes = !context.only || vscode.CodeActionKind.QuickFix.intersects(context.only);
    // Only when asked for: source actions are never shown unrequested.
    const fixAll = context.only !== undefined && FIX_ALL_KIND.intersects(context.only);
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!fixAll && (!quickFixes || ours.length === 0)) return [];
    const result = await this.linter.resultFor(document);
    if (!result?.isIstio || result.cancelled || token.isCancellationRequested) return [];
    const fixes = fixAllEdits(result.findings);
    const actions: vscode.CodeAction[] = [];
    if (fixAll && fixes.length > 0) actions.push(fixAllAction(document.uri, fixes, FIX_ALL_KIND, 'Fix all Mesh Doctor problems'));
    if (!quickFixes || ours.length === 0) return actions;
    for (const finding of result.findings) {
      if (!finding.fix || !toRange(finding.range).intersection(range)) continue;
      const action = quickFix(document.uri, finding, ours);
      if (action) actions.push(action);
    }
    if (fixes.length > 1 && actions.some((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value)) {
      actions.push(fixAllAction(document.uri, fixes, vscode.CodeActionKind.QuickFix, FIX_ALL_IN_FILE_TITLE));
    }
    return actions;
  }
}

function fixAllAction(uri: vscode.Uri, fixes: readonly FixEdit[], kind: vscode.CodeActionKind, title: string): vscode.CodeAction {
  const action = new vscode.CodeAction(title, kind);
  action.edit = fixAllEdit(uri, fixes);
  return action;
}

function quickFix(uri: vscode.Uri, finding: ConnectTimeoutFinding, diagnostics: vscode.Diagnostic[]): vscode.CodeAction | null {
  const edit = raiseEdit(uri, finding);
  if (!edit || !finding.fix) return null;
  const range = toRange(finding.range);
  const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
  action.edit = edit;
  action.isPreferred = true;
  action.diagnostics = diagnostics.filter((d) => d.range.isEqual(range) && diagnosticCode(d) === finding.code);
  return action;
}
