import * as vscode from 'vscode';
import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { markdownText } from '../core/text/markupEscape';
import type { RaisedLevel } from '../services/raisedLevels';
import type { NamespaceBadge, PodBadge } from './badgeScan';
import { hasProblems, namespaceBadgeText, podBadgeText, raisedText } from './badgeWording';
import { clusterTooltip, plainTooltip } from './clusterText';
import { clusterLabel, clusterVerdict } from './clusterWording';
import { namespaceKey, podKey, type ClusterGroupNode, type ClusterNode, type ContextNode, type MeshNode, type MessageNode, type NamespaceNode, type PodNode } from './nodes';

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

/** What the rows show besides their node: badges from the background scan, raised log levels. */
export interface RowMarks {
  namespace(key: string): NamespaceBadge | undefined;
  pod(node: PodNode): PodBadge | undefined;
  raised(node: PodNode): RaisedLevel | undefined;
  readonly nowMs: number;
}

const WARNING = new vscode.ThemeColor('list.warningForeground');

function namespaceItem(node: NamespaceNode, marks: RowMarks): vscode.TreeItem {
  const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `namespace:${node.context}/${node.namespace}`;
  item.contextValue = 'meshNamespace';
  const badge = marks.namespace(namespaceKey(node));
  const problems = hasProblems(badge?.summary);
  item.iconPath = new vscode.ThemeIcon(problems ? 'warning' : 'symbol-namespace', problems ? WARNING : undefined);
  const badgeText = namespaceBadgeText(badge);
  const counts = `${node.meshed} meshed / ${node.total} pods`;
  item.description = badgeText ? `${badgeText} · ${counts}` : counts;
  if (badgeText) item.tooltip = `${node.namespace}: ${badgeText}\n${counts}\n\nFrom a background scan of the meshed pods' Envoy stats (expand a pod for its clusters).`;
  return item;
}

function podItem(node: PodNode, marks: RowMarks): vscode.TreeItem {
  const s = node.summary;
  const meshed = s.sidecar !== null;
  const item = new vscode.TreeItem(s.name, meshed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `pod:${podKey(node.pod)}`;
  item.contextValue = meshed ? 'meshPod' : 'meshPodNoSidecar';
  const sidecar = meshed ? `istio ${s.sidecar!.version ?? '?'}${s.sidecar!.kind === 'native' ? ' (native sidecar)' : ''}` : 'no sidecar';
  const badge = meshed ? marks.pod(node) : undefined;
  const badgeText = podBadgeText(badge);
  const raised = marks.raised(node);
  const lead = [badgeText, raised ? raisedText(raised.revertAt, marks.nowMs) : null].filter((t): t is string => t !== null);
  item.description = [...lead, `${s.phase} · ${s.ready}/${s.total} · ${sidecar}`].join(' · ');
  const problems = hasProblems(badge?.summary);
  item.iconPath = !meshed
    ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
    : problems
      ? new vscode.ThemeIcon('warning', WARNING)
      : raised
        ? new vscode.ThemeIcon('debug', WARNING)
        : new vscode.ThemeIcon('package', s.phase === 'Running' ? undefined : WARNING);
  const md = plainTooltip();
  const lines = [`${s.namespace}/${s.name}`, `Phase: ${s.phase} · Ready: ${s.ready}/${s.total} · Sidecar: ${sidecar}`];
  if (badge?.error) lines.push(`Badge scan: ${badge.error}`);
  else if (badgeText) lines.push(`${badgeText} (expand the pod for its clusters)`);
  if (raised) lines.push(`Envoy log levels raised (${raised.description}): ${raisedText(raised.revertAt, marks.nowMs)}`);
  md.appendMarkdown(lines.map(markdownText).join('\n\n'));
  item.tooltip = md;
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
  const verdict = clusterVerdict(row, node.rates, minimum);
  const label = clusterLabel(row, verdict);
  // The verdict is highlighted when it is a problem, so the eye finds it first.
  const highlights: [number, number][] = verdict.severity === 'problem' ? [[0, verdict.lead.length]] : [];
  const item = new vscode.TreeItem({ label, highlights }, vscode.TreeItemCollapsibleState.None);
  item.id = `cluster:${podKey(node.pod)}/${row.name}`;
  item.contextValue = 'meshCluster';
  item.description = row.type;
  item.iconPath =
    verdict.severity === 'problem'
      ? new vscode.ThemeIcon('warning', WARNING)
      : verdict.severity === 'quiet'
        ? new vscode.ThemeIcon('info', new vscode.ThemeColor('disabledForeground'))
        : new vscode.ThemeIcon('plug');
  item.tooltip = clusterTooltip(row, verdict, node.rates, minimum);
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
export function toTreeItem(node: MeshNode, minimum: ConnectTimeoutMinimum, marks: RowMarks): vscode.TreeItem {
  switch (node.kind) {
    case 'context':
      return contextItem(node);
    case 'namespace':
      return namespaceItem(node, marks);
    case 'pod':
      return podItem(node, marks);
    case 'clusterGroup':
      return groupItem(node);
    case 'cluster':
      return clusterItem(node, minimum);
    case 'message':
      return messageItem(node);
  }
}
