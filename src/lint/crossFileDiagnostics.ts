import * as vscode from 'vscode';
import { crossFileFindings, type LintFinding } from '../core/lint';
import { findingToDiagnostic, toRange } from './toVscode';
import type { WorkspaceSettingsIndex } from './workspaceIndex';

/** Index changes come in bursts (a scan, a branch switch): the rules are joined once the burst settles. */
const PUBLISH_DELAY_MS = 200;

/** A cross-file finding placed in the editor: the file it is in, and where its related places are. */
export interface PlacedFinding {
  readonly finding: LintFinding;
  readonly related: readonly vscode.Location[];
}

/**
 * The rules that need more than one file (mTLS conflicts between PeerAuthentication and
 * DestinationRule, ISTIO_MUTUAL to workloads without a sidecar, protocol sniffing in meshed
 * namespaces, a mesh-wide drain against each workload's grace period) over the workspace index,
 * published into their own diagnostics collection each time the index changes. Each diagnostic's
 * related information, and the lens, point at the other file.
 */
export class CrossFileDiagnostics implements vscode.Disposable {
  private readonly byUri = new Map<string, PlacedFinding[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly index: WorkspaceSettingsIndex,
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {
    this.subscription = index.onDidChange(() => this.schedule());
    this.schedule();
  }

  /** The cross-file findings in one file. */
  findingsIn(uri: vscode.Uri): readonly PlacedFinding[] {
    return this.byUri.get(uri.toString()) ?? [];
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.publish(), PUBLISH_DELAY_MS);
  }

  private publish(): void {
    this.timer = undefined;
    const files = this.index.facts();
    const uriOf = new Map(files.map((f) => [f.file, f.uri]));
    const placedIn = new Map<string, { uri: vscode.Uri; placed: PlacedFinding[] }>();
    for (const { file, finding } of crossFileFindings(files)) {
      const uri = uriOf.get(file);
      if (uri === undefined) continue;
      const related = (finding.related ?? []).map((r) => new vscode.Location((r.file === null ? undefined : uriOf.get(r.file)) ?? uri, toRange(r.range)));
      const entry = placedIn.get(uri.toString()) ?? placedIn.set(uri.toString(), { uri, placed: [] }).get(uri.toString());
      entry?.placed.push({ finding, related });
    }
    this.byUri.clear();
    this.diagnostics.clear();
    for (const [key, { uri, placed }] of placedIn) {
      this.byUri.set(key, placed);
      this.diagnostics.set(uri, placed.map(({ finding, related }) => {
        const diagnostic = findingToDiagnostic(finding);
        diagnostic.relatedInformation = related.map((location, i) => new vscode.DiagnosticRelatedInformation(location, finding.related?.[i]?.message ?? ''));
        return diagnostic;
      }));
    }
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
