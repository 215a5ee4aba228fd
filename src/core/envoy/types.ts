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

/** A cluster's stats (see CLUSTER_STAT_NAMES in stats.ts); null when the stats matcher does not export one. */
export interface ClusterCounters {
  readonly connectTimeouts: number | null;
  readonly connectFailures: number | null;
  readonly connections: number | null;
  readonly requests: number | null;
  readonly remoteResetsWithActiveRequests: number | null;
  readonly pendingOverflows: number | null;
  readonly ejectionsActive: number | null;
  readonly membershipHealthy: number | null;
  readonly membershipTotal: number | null;
  readonly tlsConnectionErrors: number | null;
}

/** The default-priority circuit-breaker thresholds; a null field is Envoy's default (see ENVOY_CIRCUIT_BREAKER_DEFAULTS). */
export interface CircuitBreakerThresholds {
  readonly maxConnections: number | null;
  readonly maxPendingRequests: number | null;
  readonly maxRequests: number | null;
  readonly maxRetries: number | null;
}

/** Envoy's thresholds when a cluster sets none (cluster/v3/circuit_breaker.proto). */
export const ENVOY_CIRCUIT_BREAKER_DEFAULTS = { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 } as const;

export interface OutlierDetectionSettings {
  readonly consecutive5xx: number | null;
  readonly intervalSeconds: number | null;
  readonly baseEjectionSeconds: number | null;
  readonly maxEjectionPercent: number | null;
}

/**
 * The TLS its transport socket speaks upstream: Istio mutual TLS (always, or only to endpoints
 * labelled tlsMode=istio: Istio's auto mTLS), TLS originated to an external service, or none.
 */
export type UpstreamTlsMode = 'istio-mutual' | 'auto-istio-mutual' | 'tls' | 'mutual-tls' | 'plaintext';

/** The settings behind the causes a cluster can show, read from its config when shown (extractClusterSettings). */
export interface ClusterSettings {
  /** Upstream HTTP idle timeout; null when unset (Envoy's default 1h applies). */
  readonly idleTimeoutSeconds: number | null;
  /** Upstream HTTP max connection duration; null when unset (no limit). */
  readonly maxConnectionDurationSeconds: number | null;
  /** Null when the cluster has no circuit_breakers (Envoy's defaults apply). */
  readonly circuitBreakers: CircuitBreakerThresholds | null;
  /** Null when outlier detection is off. */
  readonly outlierDetection: OutlierDetectionSettings | null;
  readonly tls: UpstreamTlsMode;
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
  /** Every cluster stat Mesh Doctor reads (unknown ones null). */
  readonly counters: ClusterCounters;
  readonly endpoints: readonly EndpointStatus[];
  /** The cluster's config, or null when the config dump does not have it. */
  readonly config: unknown;
}

/** Envoy's default `connect_timeout` when a cluster does not set one. */
export const ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
