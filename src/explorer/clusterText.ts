import * as vscode from 'vscode';
import { formatDuration } from '../core/duration';
import { isLowConnectTimeout } from '../core/envoy/clusterRows';
import type { ClusterRow } from '../core/envoy/types';
import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';

/**
 * `connect 1s ⚠`, `connect default 5s`, `connect ?` — what the explorer and tooltips say about a
 * timeout. "Low" is decided here, against the minimum of the moment, not stored in the row.
 */
export function connectTimeoutText(row: ClusterRow, minimumSeconds: number): string {
  if (row.connectTimeoutSeconds === null) return row.config === null ? 'connect ?' : 'connect (unparseable)';
  const value = row.connectTimeoutDefaulted ? `default ${formatDuration(row.connectTimeoutSeconds)}` : formatDuration(row.connectTimeoutSeconds);
  return `connect ${value}${isLowConnectTimeout(row, minimumSeconds) ? ' ⚠' : ''}`;
}

function counter(value: number | null): string {
  return value === null ? 'n/a' : String(value);
}

/** `fails 3 (hosts)` when the count comes from the hosts' counters rather than cluster stats. */
export function countersText(row: ClusterRow): string {
  const fromHosts = row.connectFailuresSource === 'host-counters' ? ' (hosts)' : '';
  return `timeouts ${counter(row.connectTimeouts)} · fails ${counter(row.connectFailures)}${fromHosts}`;
}

/** Worth the SRE's attention: the filter keeps these. */
export function needsAttention(row: ClusterRow, minimumSeconds: number): boolean {
  return isLowConnectTimeout(row, minimumSeconds) || (row.connectFailures ?? 0) > 0 || (row.connectTimeouts ?? 0) > 0;
}

/**
 * The cluster tooltip. Every value from the cluster (names, addresses, health strings) goes
 * through appendText, which escapes Markdown; the string is neither trusted nor HTML-enabled.
 */
export function clusterTooltip(row: ClusterRow, minimum: ConnectTimeoutMinimum): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  md.appendText(row.name);
  md.appendMarkdown('**\n\n');
  md.appendText(`Type: ${row.type} · Direction: ${row.direction}${row.host ? ` · Host: ${row.host}` : ''}\n`);
  md.appendMarkdown('\n');
  md.appendText(`Connect timeout: ${connectTimeoutText(row, minimum.seconds).replace(/^connect /, '')}`);
  if (isLowConnectTimeout(row, minimum.seconds)) md.appendText(` — below the minimum ${minimum.text}: TLS handshakes slower than this are reset`);
  if (row.isStatic) md.appendText(' (bootstrap cluster, set by Istio itself)');
  md.appendMarkdown('\n\n');
  if (row.connectFailuresSource === 'host-counters' && row.hostCounters) {
    const h = row.hostCounters;
    md.appendText(`upstream_cx_connect_timeout: ${counter(row.connectTimeouts)} · connect failures (hosts' cx_connect_fail, timeouts included): ${h.connectFailures} of ${h.connections} connections · rq_error ${h.requestErrors} · rq_timeout ${h.requestTimeouts}`);
  } else {
    md.appendText(`upstream_cx_connect_timeout: ${counter(row.connectTimeouts)} · upstream_cx_connect_fail: ${counter(row.connectFailures)}`);
  }
  if (row.connectTimeouts === null || row.connectFailuresSource !== 'cluster-stats') {
    md.appendMarkdown('\n\n');
    md.appendText(
      "Istio's default stats matcher does not export this cluster's upstream_cx_connect_* stats" +
        (row.connectFailuresSource === 'host-counters' ? ", so connect failures come from the hosts' counters of /clusters" : '') +
        '; add ".*upstream_cx_connect_.*" to proxyStatsMatcher.inclusionRegexps (pod annotation proxy.istio.io/config) to see them.',
    );
  }
  md.appendMarkdown('\n\n');
  if (row.endpoints.length === 0) {
    md.appendText('Endpoints: none');
  } else {
    md.appendText(`Endpoints (${row.endpoints.length}):`);
    const shown = row.endpoints.slice(0, 20);
    for (const e of shown) {
      md.appendMarkdown('\n- ');
      md.appendText(`${e.address} — ${e.health}`);
    }
    if (row.endpoints.length > shown.length) {
      md.appendMarkdown('\n- ');
      md.appendText(`… and ${row.endpoints.length - shown.length} more`);
    }
  }
  return md;
}
