import * as vscode from 'vscode';
import type { ConnectTimeoutFinding } from '../core/lint/types';
import type { DocumentLinter } from './documentLinter';
import { iconSafeText } from '../core/text/markupEscape';
import { precedenceLenses } from './precedenceLenses';
import { raiseConnectTimeoutCommand, RAISE_CONNECT_TIMEOUT } from './raiseConnectTimeout';
import { toRange } from './toVscode';
import type { WorkspaceSettingsIndex } from './workspaceIndex';
import type { CrossFileDiagnostics, PlacedFinding } from './crossFileDiagnostics';
import { displayName } from './workspaceFiles';

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
    private readonly crossFile: CrossFileDiagnostics,
  ) {
    this.subscriptions = [linter.onDidLint(() => this.changed.fire()), index.onDidChange(() => this.changed.fire()), crossFile.onDidChange(() => this.changed.fire())];
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    // A cross-file finding may sit in a file with no Istio text of its own (a Deployment against the mesh-wide drain).
    const crossFile = this.crossFile.findingsIn(document.uri).flatMap(crossFileLens);
    const result = await this.linter.resultFor(document);
    // Non-Istio YAML stops here: the core's pre-check already decided, nothing else is computed.
    // A cancelled lint belongs to a version that has since changed; the editor asks again for the new one.
    if (token.isCancellationRequested || result?.cancelled) return [];
    if (!result?.isIstio) return crossFile;
    return [
      ...result.findings.flatMap((finding) => findingLenses(document.uri, finding)),
      ...crossFile,
      ...precedenceLenses(document, result.settings, this.index.all()),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** The finding, and a click that opens the other file it involves. */
function crossFileLens({ finding, related }: PlacedFinding): vscode.CodeLens[] {
  const other = related[0];
  const title = `⚠ ${iconSafeText(finding.summary)}${other === undefined ? '' : iconSafeText(` (see ${displayName(other.uri)})`)}`;
  return [new vscode.CodeLens(toRange(finding.range), {
    title,
    tooltip: finding.message,
    command: other === undefined ? '' : 'vscode.open',
    arguments: other === undefined ? [] : [other.uri, { selection: other.range } satisfies vscode.TextDocumentShowOptions],
  })];
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
