import * as vscode from 'vscode';
import { clusterTooltip, connectTimeoutText, countersText, needsAttention } from './clusterText';
import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { podKey, type ClusterGroupNode, type ClusterNode, type ContextNode, type MeshNode, type MessageNode, type NamespaceNode, type PodNode } from './nodes';

export const OPEN_CLUSTER_CONFIG_COMMAND = 'meshDoctor.mesh.openClusterConfig';

const DIRECTION_LABELS = { outbound: 'Outbound', inbound: 'Inbound', other: 'Other' } as const;

function contextItem(node: ContextNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.context, node.active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  // The id changes with `active`, so VS Code applies the new default expansion after a switch.
  item.id = `context:${node.active ? 'active' : 'other'}:${node.context}`;
  item.contextValue = node.active ? 'meshContextCurrent' : 'meshContext';
  item.iconPath = new vscode.ThemeIcon(node.active ? 'vm-active' : 'vm');
  item.description = [node.active ? 'active' : '', node.kubeconfigCurrent ? 'kubeconfig current-context' : ''].filter(Boolean).join(' · ');
  item.tooltip = node.active ? 'Mesh Doctor uses this context' : 'Use "Switch to This Context" to make Mesh Doctor use it (your kubeconfig is not changed)';
  return item;
}

function namespaceItem(node: NamespaceNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `namespace:${node.context}/${node.namespace}`;
  item.contextValue = 'meshNamespace';
  item.iconPath = new vscode.ThemeIcon('symbol-namespace');
  item.description = `${node.meshed} meshed / ${node.total} pods`;
  return item;
}

function podItem(node: PodNode): vscode.TreeItem {
  const s = node.summary;
  const meshed = s.sidecar !== null;
  const item = new vscode.TreeItem(s.name, meshed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `pod:${podKey(node.pod)}`;
  item.contextValue = meshed ? 'meshPod' : 'meshPodNoSidecar';
  const sidecar = meshed ? `istio ${s.sidecar!.version ?? '?'}${s.sidecar!.kind === 'native' ? ' (native sidecar)' : ''}` : 'no sidecar';
  item.description = `${s.phase} · ${s.ready}/${s.total} · ${sidecar}`;
  item.iconPath = meshed
    ? new vscode.ThemeIcon('package', s.phase === 'Running' ? undefined : new vscode.ThemeColor('list.warningForeground'))
    : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  item.tooltip = `${s.namespace}/${s.name}\nPhase: ${s.phase}\nReady: ${s.ready}/${s.total}\nSidecar: ${sidecar}`;
  return item;
}

function groupItem(node: ClusterGroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(DIRECTION_LABELS[node.direction], vscode.TreeItemCollapsibleState.Expanded);
  item.id = `group:${podKey(node.pod)}/${node.direction}`;
  item.contextValue = 'meshClusterGroup';
  item.iconPath = new vscode.ThemeIcon(node.direction === 'outbound' ? 'arrow-up' : node.direction === 'inbound' ? 'arrow-down' : 'symbol-misc');
  item.description = node.rows.length === node.unfiltered ? `${node.unfiltered}` : `${node.rows.length} of ${node.unfiltered}`;
  return item;
}

function clusterItem(node: ClusterNode, minimum: ConnectTimeoutMinimum): vscode.TreeItem {
  const row = node.cluster;
  const item = new vscode.TreeItem(row.name, vscode.TreeItemCollapsibleState.None);
  item.id = `cluster:${podKey(node.pod)}/${row.name}`;
  item.contextValue = 'meshCluster';
  item.description = `${row.type} · ${connectTimeoutText(row, minimum.seconds)} · ${countersText(row)}`;
  item.iconPath = needsAttention(row, minimum.seconds) ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('plug');
  item.tooltip = clusterTooltip(row, minimum);
  item.command = { command: OPEN_CLUSTER_CONFIG_COMMAND, title: 'Open Cluster Config', arguments: [node] };
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.contextValue = node.severity === 'error' ? 'meshError' : 'meshInfo';
  item.iconPath = new vscode.ThemeIcon(node.severity === 'error' ? 'error' : 'info', node.severity === 'error' ? new vscode.ThemeColor('errorForeground') : undefined);
  item.description = node.hint;
  item.tooltip = node.hint ? `${node.message}\n\nWhat to do: ${node.hint}` : node.message;
  return item;
}

/** `minimum` decides which clusters are flagged low: the current setting, whatever the rows were fetched with. */
export function toTreeItem(node: MeshNode, minimum: ConnectTimeoutMinimum): vscode.TreeItem {
  switch (node.kind) {
    case 'context':
      return contextItem(node);
    case 'namespace':
      return namespaceItem(node);
    case 'pod':
      return podItem(node);
    case 'clusterGroup':
      return groupItem(node);
    case 'cluster':
      return clusterItem(node, minimum);
    case 'message':
      return messageItem(node);
  }
}
