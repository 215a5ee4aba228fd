import * as vscode from 'vscode';
import type { MeshTreeProvider } from './meshTreeProvider';
import type { MeshNode } from './nodes';

/** A tree node as the user sees it, in plain data for integration tests. */
export interface MeshNodeSnapshot {
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  readonly tooltip: string;
  readonly collapsible: boolean;
}

function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

function snapshotOf(item: vscode.TreeItem): MeshNodeSnapshot {
  const tooltip = item.tooltip;
  return {
    label: labelOf(item),
    description: typeof item.description === 'string' ? item.description : '',
    contextValue: item.contextValue ?? '',
    tooltip: typeof tooltip === 'string' ? tooltip : tooltip?.value ?? '',
    collapsible: item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
  };
}

/**
 * The hidden test command `meshDoctor.internal.meshTreeSnapshot(path)`: walks the provider from the
 * root following `path` (labels: context, namespace, pod, direction group) and returns the
 * children there, read through the same getChildren/getTreeItem the view uses. It can also run
 * a node command (`{ path, run: 'meshDoctor.mesh.findSetting' }`) on the node at `path`.
 */
export function registerTreeSnapshot(provider: MeshTreeProvider): vscode.Disposable {
  return vscode.commands.registerCommand('meshDoctor.internal.meshTreeSnapshot', async (path: readonly string[] = [], run?: string) => {
    let node: MeshNode | undefined;
    for (const label of path) {
      const children = await provider.getChildren(node);
      const next = children.find((c) => labelOf(provider.getTreeItem(c)) === label);
      if (!next) throw new Error(`no node "${label}" under ${node ? labelOf(provider.getTreeItem(node)) : 'the root'}; have ${children.map((c) => labelOf(provider.getTreeItem(c))).join(', ')}`);
      node = next;
    }
    if (run) return vscode.commands.executeCommand(run, node);
    const children = await provider.getChildren(node);
    return children.map((c) => snapshotOf(provider.getTreeItem(c)));
  });
}
