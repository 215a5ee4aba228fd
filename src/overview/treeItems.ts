import * as vscode from 'vscode';
import { sparkline } from '../core/overview/sparkline';
import type { OverviewClusterStats } from '../core/overview/types';
import { causeOfResponseFlag } from '../core/logs/failureText';
import { revealInvisible } from '../core/text/invisible';
import type { OverviewClusterNode, OverviewFlagNode, OverviewMessageNode, OverviewNode, OverviewRowNode } from './nodes';

export const REVEAL_COMMAND = 'meshDoctor.overview.reveal';

/** Characters of the sparkline in a row's description (the tooltip has the whole trend). */
const ROW_TREND_WIDTH = 8;

const shown = revealInvisible;

/** A rate as people read it: two significant digits below 10, whole numbers above. */
export function rateText(perSecond: number): string {
  return perSecond >= 10 ? perSecond.toFixed(0) : Number(perSecond.toPrecision(2)).toString();
}

const STAT_WORDS: readonly [keyof Omit<OverviewClusterStats, 'cluster'>, string][] = [
  ['connectTimeoutsPerSecond', 'connect timeouts'],
  ['connectFailuresPerSecond', 'connect failures'],
  ['pendingOverflowPerSecond', 'pending overflow'],
  ['ejectionsPerSecond', 'ejections'],
];

function statsText(stats: OverviewClusterStats, all: boolean): string {
  const parts = STAT_WORDS.filter(([field]) => all || stats[field] > 0).map(([field, words]) => `${rateText(stats[field])}/s ${words}`);
  return parts.join(' · ') || 'no failures counted';
}

function flagCauseText(flag: string): string {
  const cause = causeOfResponseFlag(flag);
  return cause ? `→ ${cause}` : '(points to no cause by itself)';
}

function rowLabel(node: OverviewRowNode): string {
  const r = node.row;
  return `${shown(r.sourceNamespace)}/${shown(r.sourceWorkload)} → ${shown(r.destination)}`;
}

function rowTooltip(node: OverviewRowNode): string {
  const r = node.row;
  const flags = Object.entries(r.responseFlags).sort((a, b) => b[1] - a[1]);
  const lines = [
    rowLabel(node),
    `${rateText(r.ratePerSecond)} failed requests or connections per second over the last ${node.minutes} min (context ${shown(node.context)}, Prometheus ${shown(node.endpoint)})`,
    `Cause: ${r.cause ?? 'not known from the flags'}${r.dominantFlag ? ` (from ${shown(r.dominantFlag)})` : ''}`,
    '',
    'Response flags:',
    ...(flags.length > 0 ? flags.map(([flag, rate]) => `  ${shown(flag)}  ${rateText(rate)}/s ${flagCauseText(flag)}`) : ['  none (Envoy cluster stats only)']),
  ];
  if (r.clusters.length > 0) lines.push('', 'Envoy clusters:', ...r.clusters.map((c) => `  ${shown(c.cluster)}: ${statsText(c, true)}`));
  if (r.series.length > 0) lines.push('', `Trend over the window: ${sparkline(r.series.map(([, v]) => v))}`);
  lines.push('', `Click to show namespace ${shown(r.sourceNamespace)} in the Mesh view.`);
  return lines.join('\n');
}

function rowItem(node: OverviewRowNode): vscode.TreeItem {
  const r = node.row;
  const item = new vscode.TreeItem(rowLabel(node), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `row:${JSON.stringify([node.context, r.sourceNamespace, r.sourceWorkload, r.destination])}`;
  item.contextValue = 'overviewRow';
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  const cause = r.dominantFlag ? `${shown(r.dominantFlag)} → ${r.cause ?? '?'}` : (r.cause ?? 'cause unknown');
  item.description = `${rateText(r.ratePerSecond)}/s  ${cause} ${sparkline(r.series.map(([, v]) => v), ROW_TREND_WIDTH)}`.trimEnd();
  item.tooltip = rowTooltip(node);
  item.command = { command: REVEAL_COMMAND, title: 'Show in Mesh View', arguments: [node] };
  return item;
}

function flagItem(node: OverviewFlagNode): vscode.TreeItem {
  const row = node.parent.row;
  const item = new vscode.TreeItem(shown(node.flag), vscode.TreeItemCollapsibleState.None);
  item.id = `flag:${JSON.stringify([node.parent.context, row.sourceNamespace, row.sourceWorkload, row.destination, node.flag])}`;
  item.contextValue = 'overviewFlag';
  item.iconPath = new vscode.ThemeIcon('symbol-enum');
  // The dominant flag's cause is the row's, which Envoy's cluster stats may make specific (UF with connect timeouts rising is a connect timeout).
  const own = causeOfResponseFlag(node.flag);
  const refined = node.flag === row.dominantFlag && row.cause !== null && row.cause !== own ? row.cause : null;
  const cause = refined ? `→ ${refined}` : flagCauseText(node.flag);
  item.description = `${rateText(node.ratePerSecond)}/s ${cause}`;
  const why = refined ? ` (${shown(node.flag)} alone points to ${own ?? 'no cause'}; the Envoy cluster stats below make it ${refined})` : '';
  item.tooltip = `Envoy response flag ${shown(node.flag)}: ${rateText(node.ratePerSecond)} per second ${cause}${why}`;
  return item;
}

function clusterItem(node: OverviewClusterNode): vscode.TreeItem {
  const item = new vscode.TreeItem(shown(node.stats.cluster), vscode.TreeItemCollapsibleState.None);
  item.id = `cluster:${JSON.stringify([node.parent.context, node.parent.row.sourceNamespace, node.parent.row.sourceWorkload, node.parent.row.destination, node.stats.cluster])}`;
  item.contextValue = 'overviewCluster';
  item.iconPath = new vscode.ThemeIcon('server');
  item.description = statsText(node.stats, false);
  item.tooltip = `Envoy cluster ${shown(node.stats.cluster)} of ${shown(node.parent.row.sourceNamespace)}/${shown(node.parent.row.sourceWorkload)}: ${statsText(node.stats, true)}`;
  return item;
}

function messageItem(node: OverviewMessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `message:${node.id}`;
  item.contextValue = 'overviewMessage';
  const colors = { warning: 'list.warningForeground', error: 'list.errorForeground' } as const;
  item.iconPath = new vscode.ThemeIcon(node.icon, node.icon === 'warning' || node.icon === 'error' ? new vscode.ThemeColor(colors[node.icon]) : undefined);
  item.description = node.description;
  item.tooltip = node.tooltip;
  if (node.setting) item.command = { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: [node.setting] };
  return item;
}

export function toTreeItem(node: OverviewNode): vscode.TreeItem {
  switch (node.kind) {
    case 'row':
      return rowItem(node);
    case 'flag':
      return flagItem(node);
    case 'cluster':
      return clusterItem(node);
    case 'message':
      return messageItem(node);
  }
}
