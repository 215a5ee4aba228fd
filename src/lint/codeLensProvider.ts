import * as vscode from 'vscode';
import type { ConnectTimeoutFinding } from '../core/lint/types';
import type { DocumentLinter } from './documentLinter';
import { iconSafeText } from '../core/text/markupEscape';
import { precedenceLenses } from './precedenceLenses';
import { raiseConnectTimeoutCommand, RAISE_CONNECT_TIMEOUT } from './raiseConnectTimeout';
import { toRange } from './toVscode';
import type { WorkspaceSettingsIndex } from './workspaceIndex';

/**
 * Above each connect timeout below the minimum: what is wrong and, as a second lens on the same
 * line, the one-click fix. Then the precedence between mesh-wide values and DestinationRules.
 */
export class ConnectTimeoutLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly linter: DocumentLinter,
    private readonly index: WorkspaceSettingsIndex,
  ) {
    this.subscriptions = [linter.onDidLint(() => this.changed.fire()), index.onDidChange(() => this.changed.fire())];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const result = await this.linter.resultFor(document);
    // Non-Istio YAML stops here: the core's pre-check already decided, nothing else is computed.
    // A cancelled lint belongs to a version that has since changed; the editor asks again for the new one.
    if (!result?.isIstio || result.cancelled || token.isCancellationRequested) return [];
    return [
      ...result.findings.flatMap((finding) => findingLenses(document.uri, finding)),
      ...precedenceLenses(document, result.settings, this.index.all()),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

function findingLenses(uri: vscode.Uri, finding: ConnectTimeoutFinding): vscode.CodeLens[] {
  const range = toRange(finding.range);
  const raise = finding.fix ? raiseConnectTimeoutCommand(uri, finding) : undefined;
  const summary = new vscode.CodeLens(range, {
    title: `⚠ ${iconSafeText(finding.summary)}`,
    tooltip: finding.message,
    command: raise ? RAISE_CONNECT_TIMEOUT : '',
    arguments: raise?.arguments ?? [],
  });
  return raise ? [summary, new vscode.CodeLens(range, raise)] : [summary];
}
