import { parseClusterName } from './clusterName';
import { collectClusterConfigs } from './configDump';
import { type ClusterStatus, collectClusterStatuses } from './clusterStatuses';
import { CLUSTER_STATS_FILTER, parseClusterStats, UNKNOWN_COUNTERS } from './stats';
import type { ClusterConfig, ClusterCounters, ClusterRow } from './types';

/** The raw admin responses for one pod, as fetched (see `ENVOY_ADMIN_REQUESTS`). */
export interface ClusterPayloads {
  /** `/clusters?format=json`. */
  readonly clusters: string | null;
  /** `/config_dump?resource=...` responses (dynamic_active_clusters, static_clusters), or one full dump. */
  readonly configDumps: readonly string[];
  /** `/stats?filter=...` in text or JSON form. */
  readonly stats: string | null;
}

/**
 * The admin requests behind one pod's cluster list: exactly these four, so expanding a pod costs
 * four round trips whatever the mesh size.
 */
export const ENVOY_ADMIN_REQUESTS = {
  clusters: '/clusters?format=json',
  dynamicClusters: '/config_dump?resource=dynamic_active_clusters',
  staticClusters: '/config_dump?resource=static_clusters',
  stats: `/stats?format=json&filter=${encodeURIComponent(CLUSTER_STATS_FILTER)}`,
} as const;

/** Below the minimum. Bootstrap clusters (xds-grpc 1s, agent 0.250s) are Istio's own and not the user's to change. */
export function isLowConnectTimeout(row: Pick<ClusterRow, 'isStatic' | 'connectTimeoutSeconds'>, minimumSeconds: number): boolean {
  return !row.isStatic && row.connectTimeoutSeconds !== null && row.connectTimeoutSeconds < minimumSeconds;
}

export class EnvoyPayloadError extends Error {
  constructor(readonly source: string, cause: unknown) {
    super(`Envoy's ${source} response is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'EnvoyPayloadError';
  }
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EnvoyPayloadError(source, err);
  }
}

/**
 * Builds one row per cluster from a pod's admin payloads. Each payload is parsed once and only
 * the top level of each cluster is read (configs are kept by reference), so the cost stays close
 * to the JSON.parse itself (see the explorer benchmark).
 */
export function buildClusterRows(payloads: ClusterPayloads): ClusterRow[] {
  const configs = new Map<string, ClusterConfig>();
  for (const dump of payloads.configDumps) collectClusterConfigs(parseJson(dump, '/config_dump'), configs);
  const statuses = payloads.clusters === null ? new Map<string, ClusterStatus>() : collectClusterStatuses(parseJson(payloads.clusters, '/clusters'));
  let stats: Map<string, ClusterCounters>;
  try {
    stats = payloads.stats === null ? new Map() : parseClusterStats(payloads.stats);
  } catch (err) {
    throw new EnvoyPayloadError('/stats', err);
  }

  const names = [...configs.keys()];
  for (const name of statuses.keys()) if (!configs.has(name)) names.push(name);
  const rows: ClusterRow[] = [];
  for (const name of names.sort()) {
    const config = configs.get(name);
    const counters = stats.get(name);
    const id = parseClusterName(name);
    const seconds = config ? config.connectTimeoutSeconds : null;
    const isStatic = config?.isStatic ?? false;
    const status = statuses.get(name);
    const hostCounters = status?.hostCounters ?? null;
    // Envoy lists zero-valued counters too, so a missing stat means Istio's stats matcher drops it
    // (unknown, not zero); then the hosts' cx_connect_fail, which /clusters always reports, stands in.
    const statFailures = counters?.connectFailures ?? null;
    const connectFailures = statFailures ?? hostCounters?.connectFailures ?? null;
    rows.push({
      name,
      direction: id.direction,
      host: id.host,
      port: id.port,
      subset: id.subset,
      type: config?.type ?? 'UNKNOWN',
      connectTimeoutSeconds: seconds,
      connectTimeoutDefaulted: config?.connectTimeoutDefaulted ?? false,
      isStatic,
      connectTimeouts: counters?.connectTimeouts ?? null,
      connectFailures,
      connectFailuresSource: statFailures !== null ? 'cluster-stats' : hostCounters ? 'host-counters' : null,
      hostCounters,
      counters: counters ?? UNKNOWN_COUNTERS,
      endpoints: status?.endpoints ?? [],
      config: config?.raw ?? null,
    });
  }
  return rows;
}
