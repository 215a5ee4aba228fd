import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { formatDuration } from '../core/duration';
import { isLowConnectTimeout } from '../core/envoy/clusterRows';
import { extractClusterSettings } from '../core/envoy/clusterSettings';
import { type ClusterRates, type ClusterVerdict, judgeCluster } from '../core/envoy/clusterVerdict';
import { formatRate } from '../core/envoy/counterRates';
import { CLUSTER_STAT_NAMES } from '../core/envoy/stats';
import { type CircuitBreakerThresholds, type ClusterCounters, type ClusterRow, ENVOY_CIRCUIT_BREAKER_DEFAULTS, ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS, type UpstreamTlsMode } from '../core/envoy/types';

/*
 * The words of a cluster row and its tooltip, without VS Code (clusterText.ts turns them into a
 * tree item's Markdown). A row leads with its verdict and numbers so they survive a narrow sidebar.
 */

export function clusterVerdict(row: ClusterRow, rates: ClusterRates | null, minimum: ConnectTimeoutMinimum): ClusterVerdict {
  return judgeCluster(row, minimum.seconds, rates);
}

/** `1s ⚠ · 157 timeouts (+12/min) · outbound|443||idp.example.com`: verdict and numbers first, then the name. */
export function clusterLabel(row: ClusterRow, verdict: ClusterVerdict): string {
  return `${verdict.lead} · ${row.name}`;
}

/** What the connect timeout is and where it comes from. */
export function connectTimeoutLine(row: ClusterRow, minimum: ConnectTimeoutMinimum): string {
  if (row.connectTimeoutSeconds === null) return row.config === null ? 'unknown (the cluster is not in the config dump)' : 'unparseable in the config dump';
  let text = row.connectTimeoutDefaulted
    ? `Envoy default ${formatDuration(ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS)}, no DestinationRule or mesh value applies`
    : formatDuration(row.connectTimeoutSeconds);
  if (isLowConnectTimeout(row, minimum.seconds)) text += ` — below the minimum ${minimum.text}: TLS handshakes slower than this are reset`;
  if (row.isStatic) text += ' (bootstrap cluster, set by Istio itself)';
  return text;
}

/** Istio writes 4294967295 (UINT32_MAX) for "no limit". */
const UNLIMITED = 4294967295;

function threshold(value: number | null, fallback: number): string {
  if (value === null) return `${fallback} (Envoy default)`;
  return value >= UNLIMITED ? 'unlimited' : String(value);
}

function circuitBreakerText(cb: CircuitBreakerThresholds | null): string {
  const d = ENVOY_CIRCUIT_BREAKER_DEFAULTS;
  if (cb === null) return `none set: Envoy defaults (max connections ${d.maxConnections}, pending ${d.maxPendingRequests}, requests ${d.maxRequests}, retries ${d.maxRetries})`;
  return `max connections ${threshold(cb.maxConnections, d.maxConnections)}, pending ${threshold(cb.maxPendingRequests, d.maxPendingRequests)}, requests ${threshold(cb.maxRequests, d.maxRequests)}, retries ${threshold(cb.maxRetries, d.maxRetries)}`;
}

const TLS_WORDS: Record<UpstreamTlsMode, string> = {
  'istio-mutual': 'Istio mutual TLS',
  'auto-istio-mutual': 'Istio mutual TLS to sidecar endpoints (auto mTLS), plaintext to the others',
  tls: 'TLS originated by the sidecar (SIMPLE)',
  'mutual-tls': 'mutual TLS with its own client certificate (MUTUAL)',
  plaintext: 'none (plaintext)',
};

function durationOr(seconds: number | null, unset: string): string {
  return seconds === null ? unset : formatDuration(seconds);
}

/** The settings behind the causes, one `name: value` line each (read from the config only when shown). */
export function settingLines(row: ClusterRow, minimum: ConnectTimeoutMinimum): string[] {
  const lines = [`Connect timeout: ${connectTimeoutLine(row, minimum)}`];
  const s = extractClusterSettings(row.config);
  if (!s) return lines;
  lines.push(
    `Idle timeout: ${durationOr(s.idleTimeoutSeconds, 'not set (Envoy default 1h)')}`,
    `Max connection duration: ${durationOr(s.maxConnectionDurationSeconds, 'not set (no limit)')}`,
    `Circuit breaker: ${circuitBreakerText(s.circuitBreakers)}`,
  );
  const o = s.outlierDetection;
  lines.push(
    o === null
      ? 'Outlier detection: off'
      : `Outlier detection: ${[
          o.consecutive5xx === null ? 'consecutive 5xx 5 (default)' : `consecutive 5xx ${o.consecutive5xx}`,
          `interval ${durationOr(o.intervalSeconds, '10s (default)')}`,
          `base ejection ${durationOr(o.baseEjectionSeconds, '30s (default)')}`,
          `max ejection ${o.maxEjectionPercent === null ? '10% (default)' : `${o.maxEjectionPercent}%`}`,
        ].join(', ')}`,
    `TLS: ${TLS_WORDS[s.tls]}`,
  );
  return lines;
}

const RATE_OF: Partial<Record<keyof ClusterCounters, keyof ClusterRates>> = {
  connectTimeouts: 'connectTimeouts',
  connectFailures: 'connectFailures',
  connections: 'connections',
  remoteResetsWithActiveRequests: 'remoteResets',
  pendingOverflows: 'pendingOverflows',
  tlsConnectionErrors: 'tlsErrors',
};

/** The counters that prove the causes, as Envoy names them, with their rates when two readings exist. */
export function counterLines(row: ClusterRow, rates: ClusterRates | null): string[] {
  const lines: string[] = [];
  for (const field of Object.keys(CLUSTER_STAT_NAMES) as (keyof ClusterCounters)[]) {
    const value = row.counters[field];
    const rateField = RATE_OF[field];
    const rate = rateField && rates ? rates[rateField] : null;
    lines.push(`${CLUSTER_STAT_NAMES[field]}: ${value === null ? 'n/a' : value}${value !== null && rate !== null ? ` (${formatRate(rate)})` : ''}`);
  }
  if (row.connectFailuresSource === 'host-counters' && row.hostCounters) {
    const h = row.hostCounters;
    const rate = rates?.connectFailures ?? null;
    lines.push(`hosts' cx_connect_fail (timeouts included): ${h.connectFailures}${rate === null ? '' : ` (${formatRate(rate)})`} of ${h.connections} connections · rq_error ${h.requestErrors} · rq_timeout ${h.requestTimeouts}`);
  }
  return lines;
}

/** Said once under the counters when the stats matcher hides them. */
export function statsMatcherNote(row: ClusterRow): string | null {
  if (row.connectTimeouts !== null && row.connectFailuresSource === 'cluster-stats') return null;
  return (
    "Istio's default stats matcher does not export this cluster's upstream_cx_* stats" +
    (row.connectFailuresSource === 'host-counters' ? ", so connect failures come from the hosts' counters of /clusters" : '') +
    '; add ".*upstream_cx_.*" and ".*upstream_rq_pending_overflow.*" to proxyStatsMatcher.inclusionRegexps (pod annotation proxy.istio.io/config) to see them.'
  );
}

/** When no second reading exists yet: rates come with the next one. */
export function rateNote(rates: ClusterRates | null): string | null {
  return rates === null ? 'Totals since the sidecar started; rates appear after the next reading (the background scan reads every minute while the view is open).' : null;
}
