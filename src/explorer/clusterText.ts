import * as vscode from 'vscode';
import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import type { ClusterRates, ClusterVerdict } from '../core/envoy/clusterVerdict';
import type { ClusterRow } from '../core/envoy/types';
import { markdownText } from '../core/text/markupEscape';
import { counterLines, rateNote, settingLines, statsMatcherNote } from './clusterWording';

/** A Markdown tooltip that renders nothing from the cluster as markup: every value goes through markdownText. */
export function plainTooltip(): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function paragraph(md: vscode.MarkdownString, text: string): void {
  md.appendMarkdown(`${markdownText(text)}\n\n`);
}

function list(md: vscode.MarkdownString, items: readonly string[]): void {
  md.appendMarkdown(`${items.map((i) => `- ${markdownText(i)}`).join('\n')}\n\n`);
}

const SEVERITY_WORDS = { problem: '⚠', quiet: 'ℹ' } as const;

/**
 * The cluster tooltip: verdict, the settings behind the causes, the counters that prove them,
 * endpoints. It wraps at word boundaries (see markdownText); nothing in it is trusted or HTML.
 */
export function clusterTooltip(row: ClusterRow, verdict: ClusterVerdict, rates: ClusterRates | null, minimum: ConnectTimeoutMinimum): vscode.MarkdownString {
  const md = plainTooltip();
  md.appendMarkdown(`**${markdownText(row.name)}**\n\n`);
  paragraph(md, `Type: ${row.type} · Direction: ${row.direction}${row.host ? ` · Host: ${row.host}` : ''}`);
  if (verdict.findings.length > 0) list(md, verdict.findings.map((f) => `${SEVERITY_WORDS[f.severity]} ${f.cause}: ${f.text}`));
  md.appendMarkdown('**Settings**\n\n');
  list(md, settingLines(row, minimum));
  md.appendMarkdown('**Counters**\n\n');
  list(md, counterLines(row, rates));
  for (const note of [rateNote(rates), statsMatcherNote(row)]) if (note) paragraph(md, note);
  if (row.endpoints.length === 0) {
    paragraph(md, 'Endpoints: none');
  } else {
    paragraph(md, `Endpoints (${row.endpoints.length}):`);
    const shown = row.endpoints.slice(0, 20).map((e) => `${e.address} — ${e.health}`);
    if (row.endpoints.length > shown.length) shown.push(`… and ${row.endpoints.length - shown.length} more`);
    list(md, shown);
  }
  return md;
}
