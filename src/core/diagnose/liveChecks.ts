/**
 * The live checks of a diagnosis: what one pod's config dump and two stats samples say, without
 * any log. Each check names a cause by the correlator's codes (ResetCause) and carries the counter
 * values before and after and the config values that prove it.
 */

import { formatDuration } from '../duration';
import { buildClusterRows, isLowConnectTimeout } from '../envoy/clusterRows';
import { type ClusterCounters, type CauseStat, parseClusterCounters } from '../envoy/clusterCounters';
import type { ClusterRow } from '../envoy/types';
import type { CauseFinding, EvidenceItem, PodEvidence } from './types';

/** Istio's catch-all for traffic that matches no route under REGISTRY_ONLY. */
const BLACK_HOLE = 'BlackHoleCluster';

type CounterEvidence = Extract<EvidenceItem, { kind: 'counter' }>;

interface ClusterSamples {
  readonly row: ClusterRow;
  readonly before: { readonly row: ClusterRow | undefined; readonly counters: ClusterCounters };
  readonly after: ClusterCounters;
}

function perMinute(before: number, after: number, seconds: number): number {
  return seconds > 0 ? Math.round(((after - before) * 600) / seconds) / 10 : 0;
}

/** Pairs both samples per cluster; rows come from the second sample, counters from both. */
function sampleClusters(pod: PodEvidence): { clusters: ClusterSamples[]; seconds: number } {
  const [first, second] = pod.samples;
  const rowsBefore = new Map(buildClusterRows({ clusters: first.clusters, configDumps: pod.configDumps, stats: first.stats }).map((r) => [r.name, r]));
  const rowsAfter = buildClusterRows({ clusters: second.clusters, configDumps: pod.configDumps, stats: second.stats });
  const countersBefore = parseClusterCounters(first.stats);
  const countersAfter = parseClusterCounters(second.stats);
  return {
    clusters: rowsAfter.map((row) => ({ row, before: { row: rowsBefore.get(row.name), counters: countersBefore.get(row.name) ?? {} }, after: countersAfter.get(row.name) ?? {} })),
    seconds: (second.atMs - first.atMs) / 1000,
  };
}

/** Checks one pod's clusters; `minimumSeconds` is the connect timeout below which a value is low. */
export function liveFindings(pod: PodEvidence, minimumSeconds: number): CauseFinding[] {
  const { clusters, seconds } = sampleClusters(pod);
  const findings: CauseFinding[] = [];
  const counter = (c: ClusterSamples, name: CauseStat): CounterEvidence | null => {
    const before = c.before.counters[name];
    const after = c.after[name];
    if (before === undefined || after === undefined) return null;
    return { kind: 'counter', pod: pod.pod, cluster: c.row.name, counter: name, before, after, perMinute: perMinute(before, after, seconds) };
  };
  const rising = (e: CounterEvidence | null): e is CounterEvidence => e !== null && e.after > e.before;
  const add = (c: ClusterSamples, cause: CauseFinding['cause'], confidence: number, summary: string, evidence: (EvidenceItem | null)[]) =>
    findings.push({ cause, confidence, pod: pod.pod, cluster: c.row.name, summary, evidence: evidence.filter((e): e is EvidenceItem => e !== null) });

  for (const c of clusters) {
    const { row } = c;
    const timeouts = counter(c, 'upstream_cx_connect_timeout');
    const fails = counter(c, 'upstream_cx_connect_fail') ?? hostFailures(pod.pod, c, seconds);
    const connectTimeout: EvidenceItem | null =
      row.connectTimeoutSeconds === null ? null : { kind: 'config', pod: pod.pod, cluster: row.name, field: 'connect_timeout', value: `${formatDuration(row.connectTimeoutSeconds)}${row.connectTimeoutDefaulted ? " (Envoy's default: the cluster sets none)" : ''}` };
    const failing = rising(timeouts) || rising(fails);
    const hadTraffic = (row.hostCounters?.connections ?? 0) > 0 || (c.after.upstream_cx_total ?? 0) > 0;
    if (isLowConnectTimeout(row, minimumSeconds) && failing) {
      const rate = rising(timeouts) ? timeouts : fails!;
      add(c, 'connect-timeout', rising(timeouts) ? 0.95 : 0.9, `connect timeout ${formatDuration(row.connectTimeoutSeconds!)} on ${row.name}, connect failures rising (+${rate.perMinute}/min)`, [connectTimeout, timeouts, fails]);
    } else if (isLowConnectTimeout(row, minimumSeconds) && hadTraffic && ((fails?.after ?? 0) > 0 || (timeouts?.after ?? 0) > 0)) {
      add(c, 'connect-timeout', 0.4, `connect timeout ${formatDuration(row.connectTimeoutSeconds!)} on ${row.name}, with past connect failures (not rising now)`, [connectTimeout, timeouts, fails]);
    } else if (failing) {
      add(c, 'upstream-connect-failure', 0.5, `connect failures rising on ${row.name} (connect timeout ${row.connectTimeoutSeconds === null ? 'unknown' : formatDuration(row.connectTimeoutSeconds)})`, [connectTimeout, timeouts, fails]);
    }

    const overflow = counter(c, 'upstream_rq_pending_overflow');
    if (rising(overflow)) add(c, 'circuit-breaker', 0.85, `pending requests overflowed the connection pool of ${row.name} (+${overflow.perMinute}/min)`, [overflow, circuitBreakerConfig(pod.pod, row)]);

    const ejected = c.after['outlier_detection.ejections_active'] ?? 0;
    const healthy = c.after.membership_healthy;
    const total = c.after.membership_total;
    if (ejected > 0 || (healthy === 0 && (total ?? 0) > 0)) {
      const gauges = (['outlier_detection.ejections_active', 'membership_healthy', 'membership_total'] as const).map((name) => counter(c, name));
      add(c, 'no-healthy-upstream', healthy === 0 ? 0.85 : 0.6, `${ejected} endpoint(s) of ${row.name} ejected by outlier detection, ${healthy ?? '?'} of ${total ?? '?'} healthy`, gauges);
    }

    const tls = counter(c, 'ssl.connection_error');
    if (rising(tls)) add(c, 'tls-failure', 0.8, `TLS handshakes to ${row.name} failing (+${tls.perMinute}/min ssl.connection_error)`, [tls]);

    const remoteResets = counter(c, 'upstream_cx_destroy_remote_with_active_rq');
    if (rising(remoteResets)) add(c, 'upstream-reset', 0.6, `the upstream of ${row.name} closed connections with requests in flight (+${remoteResets.perMinute}/min)`, [remoteResets]);

    if (row.name === BLACK_HOLE) {
      const cx = counter(c, 'upstream_cx_total');
      const rq = counter(c, 'upstream_rq_total');
      if (rising(cx) || rising(rq)) add(c, 'no-route', 0.75, 'traffic went to BlackHoleCluster: a destination not in the registry under REGISTRY_ONLY', [cx, rq]);
    }
  }
  return findings;
}

/** The hosts' summed cx_connect_fail, which /clusters always reports, when the cluster stats are not exported. */
function hostFailures(pod: string, c: ClusterSamples, seconds: number): CounterEvidence | null {
  const before = c.before.row?.hostCounters?.connectFailures;
  const after = c.row.hostCounters?.connectFailures;
  if (before === undefined || after === undefined) return null;
  return { kind: 'counter', pod, cluster: c.row.name, counter: 'cx_connect_fail (hosts)', before, after, perMinute: perMinute(before, after, seconds) };
}

/** The cluster's circuit-breaker thresholds as dumped, when it has any. */
function circuitBreakerConfig(pod: string, row: ClusterRow): EvidenceItem | null {
  const thresholds = (row.config as { circuit_breakers?: { thresholds?: unknown[] } } | null)?.circuit_breakers?.thresholds?.[0];
  if (typeof thresholds !== 'object' || thresholds === null) return null;
  return { kind: 'config', pod, cluster: row.name, field: 'circuit_breakers.thresholds[0]', value: JSON.stringify(thresholds) };
}
