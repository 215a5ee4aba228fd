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
  readonly connectTimeouts: number | null;
  readonly connectFailures: number | null;
  readonly endpoints: readonly EndpointStatus[];
  /** The cluster's config, or null when the config dump does not have it. */
  readonly config: unknown;
}

/** Envoy's default `connect_timeout` when a cluster does not set one. */
export const ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
