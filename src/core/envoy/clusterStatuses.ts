import type { EndpointStatus } from './types';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function formatAddress(address: unknown): string {
  if (!isObject(address)) return '?';
  const socket = address.socket_address;
  if (isObject(socket)) {
    const port = socket.port_value ?? socket.named_port ?? '';
    return port === '' ? String(socket.address ?? '?') : `${String(socket.address ?? '?')}:${String(port)}`;
  }
  if (isObject(address.pipe)) return String(address.pipe.path ?? '?');
  const internal = address.envoy_internal_address;
  if (isObject(internal)) return `internal:${String(internal.server_listener_name ?? '?')}`;
  return '?';
}

// The failure flags Envoy sets in HostHealthStatus; any of them overrides the EDS health.
const FAILED_FLAGS: ReadonlyArray<[string, string]> = [
  ['failed_active_health_check', 'FAILED_ACTIVE_HEALTH_CHECK'],
  ['failed_outlier_check', 'FAILED_OUTLIER_CHECK (ejected)'],
  ['failed_active_degraded_check', 'DEGRADED_ACTIVE_CHECK'],
  ['pending_dynamic_removal', 'PENDING_DYNAMIC_REMOVAL'],
];

function healthOf(status: unknown): string {
  if (!isObject(status)) return 'UNKNOWN';
  const failed = FAILED_FLAGS.filter(([flag]) => status[flag] === true).map(([, label]) => label);
  if (failed.length > 0) return failed.join(', ');
  // proto3 JSON omits the zero value of HealthStatus, which is UNKNOWN.
  return typeof status.eds_health_status === 'string' ? status.eds_health_status : 'UNKNOWN';
}

/**
 * Endpoints and their health per cluster from an already parsed `/clusters?format=json`
 * (`{cluster_statuses: [{name, host_statuses: [...]}]}`). Reads only the fields it shows.
 */
export function collectClusterStatuses(parsed: unknown): Map<string, EndpointStatus[]> {
  const out = new Map<string, EndpointStatus[]>();
  const list = isObject(parsed) ? parsed.cluster_statuses : undefined;
  if (!Array.isArray(list)) return out;
  for (const cluster of list) {
    if (!isObject(cluster) || typeof cluster.name !== 'string') continue;
    const hosts = Array.isArray(cluster.host_statuses) ? cluster.host_statuses : [];
    const endpoints: EndpointStatus[] = [];
    for (const h of hosts) {
      if (isObject(h)) endpoints.push({ address: formatAddress(h.address), health: healthOf(h.health_status) });
    }
    out.set(cluster.name, endpoints);
  }
  return out;
}
