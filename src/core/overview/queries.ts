/**
 * The PromQL of the mesh overview: a few queries over Istio's standard metrics and Envoy's cluster
 * stats for the whole mesh, instead of one visit per pod. rate() handles counter resets; `topk`
 * bounds what a large mesh returns; `> 0` drops series that did not fail in the window.
 */

/** Failed requests (HTTP) and failed connections (TCP), both reported by the client's sidecar. */
export const FAILED_SOURCE_TRAFFIC = '{__name__=~"istio_requests_total|istio_tcp_connections_closed_total",reporter="source",response_flags!="-",response_flags!=""}';

/** The labels a row is keyed by. */
export const ROW_LABELS = ['source_workload', 'source_workload_namespace', 'destination_service'] as const;

/** Envoy cluster counters the overview reads, by the name of the `stat` label the query gives them. */
export const CLUSTER_STAT_METRICS = {
  connect_timeout: 'envoy_cluster_upstream_cx_connect_timeout',
  connect_fail: 'envoy_cluster_upstream_cx_connect_fail',
  pending_overflow: 'envoy_cluster_upstream_rq_pending_overflow',
  ejections: 'envoy_cluster_outlier_detection_ejections_enforced_total',
} as const;
export type ClusterStat = keyof typeof CLUSTER_STAT_METRICS;

export interface OverviewQueryOptions {
  /** The window, in whole minutes (1 or more). */
  readonly minutes: number;
  /** At most this many series per query. */
  readonly limit: number;
}

export interface OverviewQueries {
  /** Instant: failure rate by source workload, destination and response flags. */
  readonly failures: string;
  /** Instant: Envoy cluster stats' rate by source workload, cluster and `stat`. */
  readonly clusterStats: string;
  /** Range: failure rate by source workload and destination, for the sparklines. */
  readonly trend: string;
  /** Seconds between the trend's points. */
  readonly trendStepSeconds: number;
}

/** Points in a sparkline. */
const TREND_POINTS = 30;

export function overviewQueries(options: OverviewQueryOptions): OverviewQueries {
  const window = `${options.minutes}m`;
  const limit = options.limit;
  const failures = `topk(${limit}, sum by (${ROW_LABELS.join(', ')}, response_flags) (rate(${FAILED_SOURCE_TRAFFIC}[${window}])) > 0)`;
  // rate() drops the metric name, so each stat is named by label_replace before the `or`. Envoy's
  // stats carry only the scrape target's pod; the join maps a pod to its workload through the
  // Istio series of the same target, over the window: one failed scrape marks a target's series
  // stale, and an instant selector would then drop the pod from the join.
  const stats = Object.entries(CLUSTER_STAT_METRICS)
    .map(([stat, metric]) => `label_replace(rate(${metric}{cluster_name=~"outbound\\\\|.*"}[${window}]), "stat", "${stat}", "", "")`)
    .join(' or ');
  const podWorkload = `group by (namespace, pod, source_workload, source_workload_namespace) (last_over_time({__name__=~"istio_requests_total|istio_tcp_connections_opened_total",reporter="source"}[${window}]))`;
  const clusterStats = `topk(${limit}, sum by (source_workload, source_workload_namespace, cluster_name, stat) ((${stats}) * on (namespace, pod) group_left (source_workload, source_workload_namespace) ${podWorkload}) > 0)`;
  const trendStepSeconds = Math.max(1, Math.round((options.minutes * 60) / TREND_POINTS));
  // Each point's rate needs a few scrapes behind it: never a range below a minute.
  const trendRange = `${Math.max(60, 2 * trendStepSeconds)}s`;
  const trend = `topk(${limit}, sum by (${ROW_LABELS.join(', ')}) (rate(${FAILED_SOURCE_TRAFFIC}[${trendRange}])))`;
  return { failures, clusterStats, trend, trendStepSeconds };
}
