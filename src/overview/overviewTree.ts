import * as vscode from 'vscode';
import { revealInvisible } from '../core/text/invisible';
import type { OverviewModel, OverviewState } from './overviewModel';
import type { OverviewMessageNode, OverviewNode, OverviewRowNode } from './nodes';
import { toTreeItem } from './treeItems';

function contextText(context: string | null): string {
  return context === null ? '' : `context ${revealInvisible(context)}`;
}

/** The top-level rows for a state: messages first (no Prometheus, warnings), then the failures, worst first. */
export function rootNodes(state: OverviewState, busy: boolean): OverviewNode[] {
  switch (state.kind) {
    case 'idle':
      return [
        busy
          ? { kind: 'message', id: 'loading', icon: 'loading~spin', label: 'Asking Prometheus…', description: '', tooltip: 'Mesh Doctor is querying Prometheus for connection failures.' }
          : { kind: 'message', id: 'idle', icon: 'info', label: 'Not loaded', description: 'refresh to ask Prometheus', tooltip: 'Refresh the view to ask Prometheus where connections fail.' },
      ];
    case 'problem': {
      const p = state.problem;
      const message = revealInvisible(p.message);
      return [{ kind: 'message', id: 'problem', icon: 'error', label: p.headline, description: contextText(state.context), tooltip: `${message}\n\nWhat to do: ${p.hint}\n\nClick to open the setting.`, setting: p.setting }];
    }
    case 'loaded': {
      const o = state.overview;
      const nodes: OverviewNode[] = [];
      if (o.warnings.length > 0) {
        const warnings = o.warnings.map((w) => `- ${revealInvisible(w)}`).join('\n');
        nodes.push({
          kind: 'message',
          id: 'warnings',
          icon: 'warning',
          label: 'Partial result',
          description: `${o.warnings.length} warning${o.warnings.length === 1 ? '' : 's'} from Prometheus`,
          tooltip: `Prometheus answered with warnings, so rows may be missing or rates low:\n${warnings}`,
        });
      }
      const rows = o.rows.map((row): OverviewRowNode => ({ kind: 'row', context: state.context, minutes: o.minutes, endpoint: o.endpoint, row }));
      if (rows.length === 0) {
        const none: OverviewMessageNode = {
          kind: 'message',
          id: 'none',
          icon: 'pass',
          label: 'No connection failures',
          description: `last ${o.minutes} min · ${contextText(state.context)}`,
          tooltip: `No source workload reports failed requests or connections in the last ${o.minutes} min (Prometheus ${revealInvisible(o.endpoint)}).`,
        };
        nodes.push(none);
      }
      return [...nodes, ...rows];
    }
  }
}

/** A row's children: one per response flag (highest rate first), then one per Envoy cluster. */
export function rowChildren(node: OverviewRowNode): OverviewNode[] {
  const flags = Object.entries(node.row.responseFlags)
    .sort((a, b) => b[1] - a[1])
    .map(([flag, ratePerSecond]): OverviewNode => ({ kind: 'flag', parent: node, flag, ratePerSecond }));
  return [...flags, ...node.row.clusters.map((stats): OverviewNode => ({ kind: 'cluster', parent: node, stats }))];
}

/** The Mesh Overview view over the model: re-rendered whenever the model changes. */
export class OverviewTreeProvider implements vscode.TreeDataProvider<OverviewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<OverviewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: OverviewModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: OverviewNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: OverviewNode): OverviewNode[] {
    if (!node) return rootNodes(this.model.state, this.model.busy);
    return node.kind === 'row' ? rowChildren(node) : [];
  }

  getParent(node: OverviewNode): OverviewNode | undefined {
    return node.kind === 'flag' || node.kind === 'cluster' ? node.parent : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
