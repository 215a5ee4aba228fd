import { type IdentityCallSchedule } from '../logs/identityCalls';
import { type StandInCause, causeCallsDone, causeTarget } from '../logs/causeCalls';
import { type EnvoyCluster, cloneOutboundCluster } from './clusters';

type Json = Record<string, unknown>;

const UNLIMITED = 4294967295;

/**
 * What the DestinationRule behind each cause makes of the destination's cluster, in the fields
 * Istio's cluster builder writes (pilot/pkg/networking/core/cluster_traffic_policy.go):
 * connectTimeout → `connect_timeout`, connectionPool.http.idleTimeout and maxConnectionDuration →
 * `common_http_protocol_options`, connectionPool limits → `circuit_breakers.thresholds`,
 * outlierDetection → `outlier_detection`, tls.mode SIMPLE → an UpstreamTlsContext transport socket.
 */
const CLUSTER_SETTINGS: Readonly<Partial<Record<StandInCause, (c: Json, host: string) => void>>> = {
  'connect-timeout': (c) => {
    c.connect_timeout = '1s';
  },
  'tls-failure': (c, host) => {
    delete c.transport_socket_matches;
    c.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', common_tls_context: {}, sni: host },
    };
  },
  'no-healthy-upstream': (c) => {
    c.outlier_detection = { consecutive_5xx: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 100, enforcing_consecutive_5xx: 100, enforcing_success_rate: 0 };
  },
  'circuit-breaker': (c) => {
    c.circuit_breakers = { thresholds: [{ max_connections: 1, max_pending_requests: 1, max_requests: 1, max_retries: UNLIMITED, track_remaining: true }] };
  },
  'idle-timeout': (c) => {
    c.common_http_protocol_options = { idle_timeout: '3600s' };
  },
  'max-duration': (c) => {
    c.common_http_protocol_options = { idle_timeout: '3600s', max_connection_duration: '300s' };
  },
};

/** The destination cluster of a cause pod (none for `no-route`: nothing in the registry matches). */
export function causeCluster(cause: StandInCause, lastUpdated: string): EnvoyCluster | null {
  if (cause === 'no-route') return null;
  const to = causeTarget(cause);
  const config = cloneOutboundCluster(to.host, to.port, '10s');
  CLUSTER_SETTINGS[cause]?.(config, to.host);
  const [address, port] = to.endpoint.split(':');
  const hosts = cause === 'no-healthy-upstream' ? [{ address, port: Number(port) }, { address: address.replace(/\d+$/, (n) => String(Number(n) + 1)), port: Number(port) }] : [{ address, port: Number(port) }];
  return { name: to.cluster, addedViaApi: true, config, hosts, lastUpdated };
}

/**
 * The counters a cause moves, per failed call, in Envoy's stat names (suffixes of
 * `cluster.<name>.`; source/common/upstream/upstream_impl.h ALL_CLUSTER_STATS,
 * source/extensions/transport_sockets/tls/context_impl.h, outlier_detection_impl.h).
 */
const PER_CALL: Readonly<Partial<Record<StandInCause, Readonly<Record<string, number>>>>> = {
  'connect-timeout': { upstream_cx_connect_timeout: 3, upstream_cx_connect_fail: 3, upstream_rq_retry: 2, upstream_rq_retry_limit_exceeded: 1 },
  'connection-refused': { upstream_cx_connect_fail: 3, upstream_rq_retry: 2, upstream_rq_retry_limit_exceeded: 1 },
  'tls-failure': { upstream_cx_connect_fail: 3, 'ssl.connection_error': 3, upstream_rq_retry: 2, upstream_rq_retry_limit_exceeded: 1 },
  'circuit-breaker': { upstream_rq_pending_overflow: 1 },
  'idle-timeout': { upstream_cx_destroy_remote_with_active_rq: 1 },
  'max-duration': { upstream_cx_max_duration_reached: 1 },
  'upstream-reset': { upstream_cx_destroy_remote_with_active_rq: 1, upstream_rq_rx_reset: 1 },
  'upstream-connect-failure': { upstream_cx_connect_fail: 3, upstream_rq_retry: 2, upstream_rq_retry_limit_exceeded: 1 },
};

/** Gauges a cause holds at one value. */
const STEADY: Readonly<Partial<Record<StandInCause, Readonly<Record<string, number>>>>> = {
  'no-healthy-upstream': { membership_healthy: 0, 'outlier_detection.ejections_active': 2, 'outlier_detection.ejections_enforced_consecutive_5xx': 2 },
};

/**
 * The cause cluster's stats at `nowMs` beyond (or instead of) the generic ones: each counter at a
 * pod-specific history (`priorTimeouts` calls before the schedule started) plus the calls since.
 */
export function causeClusterStats(cause: StandInCause, schedule: IdentityCallSchedule, nowMs: number): Record<string, number> {
  const calls = schedule.priorTimeouts + causeCallsDone(cause, schedule, nowMs);
  const stats: Record<string, number> = { ...(STEADY[cause] ?? {}) };
  for (const [name, perCall] of Object.entries(PER_CALL[cause] ?? {})) stats[name] = perCall * calls;
  return stats;
}
