import * as vscode from 'vscode';
import type { ConnectTimeoutFinding } from '../core/lint/types';
import type { DocumentLinter } from './documentLinter';
import { raiseEdit } from './raiseConnectTimeout';
import { DIAGNOSTIC_SOURCE, diagnosticCode, toRange } from './toVscode';

/** The preferred quick fix on a low connect timeout: raise it to the minimum (Ctrl+. or the lightbulb). */
export class RaiseConnectTimeoutQuickFix implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly linter: DocumentLinter) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const result = await this.linter.resultFor(document);
    if (!result?.isIstio || result.cancelled || token.isCancellationRequested) return [];
    return result.findings
      .filter((finding) => finding.fix && toRange(finding.range).intersection(range))
      .flatMap((finding) => {
        const action = quickFix(document.uri, finding, ours);
        return action ? [action] : [];
      });
  }
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
