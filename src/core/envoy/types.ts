/** What Mesh Doctor shows about one Envoy cluster: the row of the explorer and of `mesh-doctor clusters`. */

export type ClusterDirection = 'outbound' | 'inbound' | 'other';

export interface EndpointStatus {
  /** `ip:port`, a pipe path, or the raw address as Envoy reported it. */
  readonly address: string;
  /** `HEALTHY`, `UNHEALTHY`, `DRAINING`, `TIMEOUT`, `DEGRADED`, `UNKNOWN` (Envoy's EDS health), or a failed check. */
  readonly health: string;
}

export interface ClusterConfig {
  readonly name: string;
  /** Discovery type (`EDS`, `STRICT_DNS`, `ORIGINAL_DST`, `STATIC`, ...) or a custom cluster type's name. */
  readonly type: string;
  /** The effective connect timeout in seconds; Envoy's default 5s when the field is absent; null when it does not parse. */
  readonly connectTimeoutSeconds: number | null;
  /** True when the config has no `connect_timeout`, so Envoy's default 5s applies. */
  readonly connectTimeoutDefaulted: boolean;
  /** From the bootstrap (`static_clusters`): not produced by Istio's mesh or DestinationRule settings. */
  readonly isStatic: boolean;
  /** The cluster object as Envoy dumped it (not copied), for the read-only JSON view. */
  readonly raw: unknown;
}

/**
 * Where a row's connect failures come from: Envoy's cluster stats (`upstream_cx_connect_fail`,
 * exported only when proxyStatsMatcher asks for them), or the per-host counters every
 * `/clusters` answer carries (`host_statuses[].stats`, summed over the cluster's hosts).
 */
export type ConnectFailuresSource = 'cluster-stats' | 'host-counters';

/** Envoy's per-host counters of `/clusters?format=json`, summed over a cluster's hosts. */
export interface HostCounters {
  /** `cx_connect_fail`: failed connects, connect timeouts included. */
  readonly connectFailures: number;
  /** `cx_total`: connections attempted. */
  readonly connections: number;
  /** `rq_error`: requests that ended in an error (connect failures of a request included). */
  readonly requestErrors: number;
  /** `rq_timeout`: requests that timed out waiting for the upstream. */
  readonly requestTimeouts: number;
}

export interface ConnectCounters {
  readonly connectTimeouts: number | null;
  readonly connectFailures: number | null;
}

export interface ClusterRow {
  readonly name: string;
  readonly direction: ClusterDirection;
  /** The service host from an Istio cluster name (`outbound|443||idp.example.com` -> `idp.example.com`), else null. */
  readonly host: string | null;
  readonly port: number | null;
  readonly subset: string | null;
  /** `UNKNOWN` when the cluster is not in the config dump. */
  readonly type: string;
  readonly connectTimeoutSeconds: number | null;
  readonly connectTimeoutDefaulted: boolean;
  readonly isStatic: boolean;
  /** `upstream_cx_connect_timeout` from cluster stats; null when the stats matcher does not export it. */
  readonly connectTimeouts: number | null;
  /** Connect failures from the cluster stats, else from the hosts' counters; null when neither has them. */
  readonly connectFailures: number | null;
  readonly connectFailuresSource: ConnectFailuresSource | null;
  /** The hosts' counters, or null when /clusters lists no host for the cluster. */
  readonly hostCounters: HostCounters | null;
  readonly endpoints: readonly EndpointStatus[];
  /** The cluster's config, or null when the config dump does not have it. */
  readonly config: unknown;
}

/** Envoy's default `connect_timeout` when a cluster does not set one. */
export const ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
