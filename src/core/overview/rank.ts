import { causeOfResponseFlag } from '../logs/failureText';
import type { ResetCause } from '../correlate/types';
import { type ClusterStat, CLUSTER_STAT_METRICS } from './queries';
import type { OverviewClusterStats, OverviewRow, PromSample, PromSeries } from './types';

/** What the overview's queries answered. */
export interface OverviewAnswers {
  readonly failures: readonly PromSample[];
  readonly clusterStats: readonly PromSample[];
  readonly trend: readonly PromSeries[];
}

const keyOf = (namespace: string, workload: string, destination: string) => JSON.stringify([namespace, workload, destination]);

/** `outbound|443||idp.example.com` → `idp.example.com`; null for inbound and other clusters. */
export function outboundClusterHost(cluster: string): string | null {
  const m = /^outbound\|\d+\|[^|]*\|(.+)$/.exec(cluster);
  return m ? m[1] : null;
}

function finiteRate(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}

interface RowBuilder {
  readonly sourceWorkload: string;
  readonly sourceNamespace: string;
  readonly destination: string;
  readonly responseFlags: Map<string, number>;
  rate: number;
  readonly clusters: Map<string, Record<ClusterStat, number>>;
}

const STAT_FIELDS: Readonly<Record<ClusterStat, keyof Omit<OverviewClusterStats, 'cluster'>>> = {
  connect_timeout: 'connectTimeoutsPerSecond',
  connect_fail: 'connectFailuresPerSecond',
  pending_overflow: 'pendingOverflowPerSecond',
  ejections: 'ejectionsPerSecond',
};

/** What an upstream's cluster stats say when no response flag does, strongest signal first. */
function causeOfClusterStats(stats: readonly OverviewClusterStats[]): ResetCause | null {
  const sum = (f: keyof Omit<OverviewClusterStats, 'cluster'>) => stats.reduce((t, s) => t + s[f], 0);
  if (sum('connectTimeoutsPerSecond') > 0) return 'connect-timeout';
  if (sum('connectFailuresPerSecond') > 0) return 'upstream-connect-failure';
  if (sum('pendingOverflowPerSecond') > 0) return 'circuit-breaker';
  if (sum('ejectionsPerSecond') > 0) return 'no-healthy-upstream';
  return null;
}

/**
 * The flag that decides the cause: the highest rate among flags that point at one (`URX` only
 * says a retry limit was hit, so `UF,URX` is decided by `UF`); ties go to the flag first in
 * alphabetical order, so the answer does not depend on the server's series order.
 */
function dominantFlag(flags: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  for (const [flag, rate] of [...flags].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (causeOfResponseFlag(flag) === null) continue;
    if (best === null || rate > flags.get(best)!) best = flag;
  }
  return best;
}

/**
 * The cause of a row: its dominant flag's, made specific by the cluster stats where Envoy
 * exports them (`UF` with the upstream's connect timeouts rising is a connect timeout, as
 * `{connection_timeout}` makes it one in an access log).
 */
function causeOf(flag: string | null, clusters: readonly OverviewClusterStats[]): ResetCause | null {
  const fromFlag = flag === null ? null : causeOfResponseFlag(flag);
  const fromStats = causeOfClusterStats(clusters);
  if (fromFlag === 'upstream-connect-failure' && fromStats === 'connect-timeout') return 'connect-timeout';
  return fromFlag ?? fromStats;
}

/**
 * Rows, worst first: every source workload → upstream that failed in the window, its rate per
 * response flag (a series labelled `UF,URX` counts for both flags, once in the total), the cause,
 * the Envoy cluster stats for that upstream, and the trend. An upstream seen only in the cluster
 * stats (connect failures Envoy retried away, overflows) gets a row of its own.
 */
export function rankOverview(answers: OverviewAnswers): OverviewRow[] {
  const rows = new Map<string, RowBuilder>();
  const rowFor = (namespace: string, workload: string, destination: string): RowBuilder => {
    const key = keyOf(namespace, workload, destination);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { sourceWorkload: workload, sourceNamespace: namespace, destination, responseFlags: new Map(), rate: 0, clusters: new Map() }));
    return row;
  };
  for (const s of answers.failures) {
    const rate = finiteRate(s.value);
    if (rate === 0) continue;
    const row = rowFor(s.metric.source_workload_namespace ?? 'unknown', s.metric.source_workload ?? 'unknown', s.metric.destination_service ?? 'unknown');
    row.rate += rate;
    for (const flag of (s.metric.response_flags ?? '').split(',').filter((f) => f !== '' && f !== '-')) row.responseFlags.set(flag, (row.responseFlags.get(flag) ?? 0) + rate);
  }
  for (const s of answers.clusterStats) {
    const stat = s.metric.stat as ClusterStat;
    const cluster = s.metric.cluster_name ?? '';
    const host = outboundClusterHost(cluster);
    const rate = finiteRate(s.value);
    if (!host || rate === 0 || !Object.prototype.hasOwnProperty.call(CLUSTER_STAT_METRICS, stat)) continue;
    const row = rowFor(s.metric.source_workload_namespace ?? 'unknown', s.metric.source_workload ?? 'unknown', host);
    let stats = row.clusters.get(cluster);
    if (!stats) row.clusters.set(cluster, (stats = { connect_timeout: 0, connect_fail: 0, pending_overflow: 0, ejections: 0 }));
    stats[stat] += rate;
  }
  const trend = new Map(answers.trend.map((s) => [keyOf(s.metric.source_workload_namespace ?? 'unknown', s.metric.source_workload ?? 'unknown', s.metric.destination_service ?? 'unknown'), s.points]));
  const out = [...rows.entries()].map(([key, r]): OverviewRow => {
    const clusters = [...r.clusters].map(([cluster, stats]) => {
      const c: Record<string, number | string> = { cluster };
      for (const [stat, field] of Object.entries(STAT_FIELDS)) c[field] = stats[stat as ClusterStat];
      return c as unknown as OverviewClusterStats;
    });
    // An upstream known only from its cluster stats fails at the rate its connections or requests do.
    const statsRate = clusters.reduce((t, c) => t + Math.max(c.connectTimeoutsPerSecond, c.connectFailuresPerSecond) + c.pendingOverflowPerSecond + c.ejectionsPerSecond, 0);
    const flag = dominantFlag(r.responseFlags);
    return {
      sourceWorkload: r.sourceWorkload,
      sourceNamespace: r.sourceNamespace,
      destination: r.destination,
      responseFlags: Object.fromEntries([...r.responseFlags].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      dominantFlag: flag,
      cause: causeOf(flag, clusters),
      ratePerSecond: r.rate > 0 ? r.rate : statsRate,
      clusters,
      series: (trend.get(key) ?? []).map(([t, v]) => [t, finiteRate(v)] as const),
    };
  });
  return out.sort((a, b) => b.ratePerSecond - a.ratePerSecond || compare(a, b));
}

function compare(a: OverviewRow, b: OverviewRow): number {
  const ka = keyOf(a.sourceNamespace, a.sourceWorkload, a.destination);
  const kb = keyOf(b.sourceNamespace, b.sourceWorkload, b.destination);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
