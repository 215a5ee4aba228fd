import type { PodRef } from '../podAccess';
import { buildClusterRows } from './clusterRows';
import { CLUSTER_STATS_FILTER } from './stats';
import type { ClusterObservation } from './clusterVerdict';

/** One pod's clusters with their counters at one moment: what a badge is computed from. */
export interface ClusterSample {
  /** Epoch ms of the reading. */
  readonly atMs: number;
  readonly clusters: readonly ClusterObservation[];
  /** Requests the source sent for it (the badge scan reports them). */
  readonly requests: number;
}

/**
 * Where the badges' samples come from. The Envoy admin API (a few requests per pod) feeds it
 * today; a metrics source (Prometheus) can implement the same contract from its series.
 */
export interface ClusterSampleSource {
  sample(pod: PodRef, signal: AbortSignal): Promise<ClusterSample>;
}

/**
 * The admin requests of one background sample: the cause stats, and only the name and
 * connect_timeout of the xDS clusters (a field mask per resource, Envoy's `/config_dump?mask=`);
 * bootstrap clusters are Istio's own and not sampled. `/clusters` is asked only when the stats
 * matcher exports no connect failures (Istio's default), for its hosts' counters.
 */
export const SAMPLE_REQUESTS = {
  stats: `/stats?format=json&filter=${encodeURIComponent(CLUSTER_STATS_FILTER)}`,
  clusterSettings: `/config_dump?resource=dynamic_active_clusters&mask=${encodeURIComponent('cluster.name,cluster.connect_timeout')}`,
  hostCounters: '/clusters?format=json',
} as const;

/** True when the stats answer carries connect failures, so `/clusters` would add nothing. */
export function statsHaveConnectFailures(observations: readonly ClusterObservation[]): boolean {
  return observations.some((c) => c.counters.connectFailures !== null);
}

/** The clusters of a sample from its admin answers (the same join as the explorer's rows). */
export function sampleObservations(stats: string, clusterSettings: string, hostCounters: string | null): ClusterObservation[] {
  return buildClusterRows({ clusters: hostCounters, configDumps: [clusterSettings], stats });
}
