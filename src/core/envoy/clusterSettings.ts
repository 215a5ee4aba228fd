import { parseDuration } from '../duration';
import type { CircuitBreakerThresholds, ClusterSettings, OutlierDetectionSettings, UpstreamTlsMode } from './types';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(o: Json | undefined, snake: string, camel: string): unknown {
  return o === undefined ? undefined : (o[snake] ?? o[camel]);
}

function seconds(raw: unknown): number | null {
  if (raw === undefined || raw === null) return null;
  const parsed = parseDuration(raw);
  return parsed.ok ? parsed.seconds : null;
}

/** uint32 fields arrive as numbers, wrapped values as `{ value: n }` (UInt32Value), or strings. */
function count(raw: unknown): number | null {
  const v = isObject(raw) ? raw.value : raw;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

/** Istio writes them under typed_extension_protocol_options since 1.9; older clusters have the cluster field. */
function commonHttpOptions(c: Json): Json | undefined {
  const typed = field(c, 'typed_extension_protocol_options', 'typedExtensionProtocolOptions');
  const http = isObject(typed) ? typed[HTTP_PROTOCOL_OPTIONS] : undefined;
  const common = isObject(http) ? field(http, 'common_http_protocol_options', 'commonHttpProtocolOptions') : undefined;
  if (isObject(common)) return common;
  const legacy = field(c, 'common_http_protocol_options', 'commonHttpProtocolOptions');
  return isObject(legacy) ? legacy : undefined;
}

function circuitBreakers(c: Json): CircuitBreakerThresholds | null {
  const cb = field(c, 'circuit_breakers', 'circuitBreakers');
  const thresholds = isObject(cb) ? cb.thresholds : undefined;
  if (!Array.isArray(thresholds)) return null;
  // The DEFAULT priority (absent in proto JSON) is the one ordinary traffic uses.
  const t = thresholds.find((x) => isObject(x) && (x.priority === undefined || x.priority === 'DEFAULT' || x.priority === 0));
  if (!isObject(t)) return null;
  return {
    maxConnections: count(field(t, 'max_connections', 'maxConnections')),
    maxPendingRequests: count(field(t, 'max_pending_requests', 'maxPendingRequests')),
    maxRequests: count(field(t, 'max_requests', 'maxRequests')),
    maxRetries: count(field(t, 'max_retries', 'maxRetries')),
  };
}

function outlierDetection(c: Json): OutlierDetectionSettings | null {
  const o = field(c, 'outlier_detection', 'outlierDetection');
  if (!isObject(o)) return null;
  return {
    consecutive5xx: count(field(o, 'consecutive_5xx', 'consecutive5xx')),
    intervalSeconds: seconds(o.interval),
    baseEjectionSeconds: seconds(field(o, 'base_ejection_time', 'baseEjectionTime')),
    maxEjectionPercent: count(field(o, 'max_ejection_percent', 'maxEjectionPercent')),
  };
}

/** Istio's mTLS context: its ALPN (`istio`) or the SDS secret named `default` (the workload certificate). */
function tlsOf(socket: unknown): UpstreamTlsMode | null {
  if (!isObject(socket)) return null;
  const typed = field(socket, 'typed_config', 'typedConfig');
  if (!isObject(typed)) return null;
  const type = String(typed['@type'] ?? '');
  // Istio's internal_upstream wraps the real socket (waypoints, HBONE).
  if (type.endsWith('.InternalUpstreamTransport')) return tlsOf(field(typed, 'transport_socket', 'transportSocket'));
  if (!type.endsWith('.UpstreamTlsContext')) return null;
  const common = field(typed, 'common_tls_context', 'commonTlsContext');
  const ctx = isObject(common) ? common : {};
  const alpn = field(ctx, 'alpn_protocols', 'alpnProtocols');
  if (Array.isArray(alpn) && alpn.includes('istio')) return 'istio-mutual';
  const certs = field(ctx, 'tls_certificates', 'tlsCertificates') ?? field(ctx, 'tls_certificate_sds_secret_configs', 'tlsCertificateSdsSecretConfigs');
  return Array.isArray(certs) && certs.length > 0 ? 'mutual-tls' : 'tls';
}

function upstreamTls(c: Json): UpstreamTlsMode {
  const direct = tlsOf(field(c, 'transport_socket', 'transportSocket'));
  if (direct) return direct;
  const matches = field(c, 'transport_socket_matches', 'transportSocketMatches');
  if (Array.isArray(matches)) {
    for (const m of matches) {
      if (!isObject(m)) continue;
      const mode = tlsOf(field(m, 'transport_socket', 'transportSocket'));
      // Auto mTLS: Istio matches endpoints labelled tlsMode=istio and falls back to plaintext.
      if (mode === 'istio-mutual' && isObject(m.match) && m.match.tlsMode === 'istio') return 'auto-istio-mutual';
      if (mode) return mode;
    }
  }
  return 'plaintext';
}

/**
 * The settings behind the causes Mesh Doctor diagnoses, from one cluster as Envoy dumps it
 * (snake_case proto JSON, or camelCase as istioctl prints it). Values that do not parse are null.
 */
export function extractClusterSettings(cluster: unknown): ClusterSettings | null {
  if (!isObject(cluster)) return null;
  const http = commonHttpOptions(cluster);
  return {
    idleTimeoutSeconds: seconds(field(http, 'idle_timeout', 'idleTimeout')),
    maxConnectionDurationSeconds: seconds(field(http, 'max_connection_duration', 'maxConnectionDuration')),
    circuitBreakers: circuitBreakers(cluster),
    outlierDetection: outlierDetection(cluster),
    tls: upstreamTls(cluster),
  };
}
