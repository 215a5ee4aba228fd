import type { EndpointStatus, HostCounters } from './types';

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
  // A plain loop: this runs once per host right after a large JSON.parse, where every allocation
  // brings the next young-generation collection (which copies the whole fresh parse) nearer.
  let failed: string | null = null;
  for (const [flag, label] of FAILED_FLAGS) if (status[flag] === true) failed = failed === null ? label : `${failed}, ${label}`;
  if (failed !== null) return failed;
  // proto3 JSON omits the zero value of HealthStatus, which is UNKNOWN.
  return typeof status.eds_health_status === 'string' ? status.eds_health_status : 'UNKNOWN';
}

/** One cluster of `/clusters?format=json`: its endpoints and the sum of its hosts' counters. */
export interface ClusterStatus {
  readonly endpoints: EndpointStatus[];
  readonly hostCounters: HostCounters | null;
}

const HOST_COUNTER_FIELDS: Readonly<Record<string, keyof HostCounters>> = {
  cx_connect_fail: 'connectFailures',
  cx_total: 'connections',
  rq_error: 'requestErrors',
  rq_timeout: 'requestTimeouts',
};

/**
 * Adds one host's `stats` (`[{name, value, type?}]`) to `sums`. proto3 JSON leaves zero values
 * out and prints uint64 as strings, so a missing value is 0 and a string is a number.
 */
function addHostStats(stats: unknown, sums: Record<keyof HostCounters, number>): void {
  if (!Array.isArray(stats)) return;
  for (const s of stats) {
    if (!isObject(s) || typeof s.name !== 'string') continue;
    const field = HOST_COUNTER_FIELDS[s.name];
    if (!field) continue;
    const value = typeof s.value === 'number' ? s.value : typeof s.value === 'string' ? Number(s.value) : 0;
    if (Number.isFinite(value) && value >= 0) sums[field] += value;
  }
}

/**
 * Endpoints, their health and their summed counters per cluster from an already parsed
 * `/clusters?format=json` (`{cluster_statuses: [{name, host_statuses: [...]}]}`). Reads only the
 * fields it shows.
 */
export function collectClusterStatuses(parsed: unknown): Map<string, ClusterStatus> {
  const out = new Map<string, ClusterStatus>();
  const list = isObject(parsed) ? parsed.cluster_statuses : undefined;
  if (!Array.isArray(list)) return out;
  for (const cluster of list) {
    if (!isObject(cluster) || typeof cluster.name !== 'string') continue;
    const listed: unknown[] = Array.isArray(cluster.host_statuses) ? cluster.host_statuses : [];
    const hosts = listed.every(isObject) ? listed : listed.filter(isObject);
    const sums = { connectFailures: 0, connections: 0, requestErrors: 0, requestTimeouts: 0 };
    // Sized up front: a push()-grown array reserves room for 17 hosts, for every cluster.
    const endpoints = new Array<EndpointStatus>(hosts.length);
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i];
      endpoints[i] = { address: formatAddress(h.address), health: healthOf(h.health_status) };
      addHostStats(h.stats, sums);
    }
    out.set(cluster.name, { endpoints, hostCounters: endpoints.length > 0 ? sums : null });
  }
  return out;
}
