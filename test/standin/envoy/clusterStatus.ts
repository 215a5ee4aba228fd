import { type EnvoyCluster } from './clusters';
import { type EnvoyProxy } from './proxy';

const UNLIMITED = 4294967295;

/** Host-level stats Envoy reports under each host of /clusters, from the cluster's counters. */
function hostStats(proxy: EnvoyProxy, cluster: EnvoyCluster, nowMs: number): { name: string; value: number; gauge: boolean }[] {
  const s = proxy.clusterStats(cluster, nowMs);
  return [
    { name: 'cx_active', value: s.upstream_cx_active, gauge: true },
    { name: 'cx_connect_fail', value: s.upstream_cx_connect_fail, gauge: false },
    { name: 'cx_total', value: s.upstream_cx_total, gauge: false },
    { name: 'rq_active', value: s.upstream_rq_active, gauge: true },
    { name: 'rq_error', value: s.upstream_cx_connect_fail, gauge: false },
    { name: 'rq_success', value: s.upstream_rq_total, gauge: false },
    { name: 'rq_timeout', value: s.upstream_rq_timeout, gauge: false },
    { name: 'rq_total', value: s.upstream_rq_total, gauge: false },
  ];
}

/**
 * `/clusters?format=json`: Envoy's ClusterStatuses as its proto JSON prints it: uint64 values
 * as strings, zero values and default enums (COUNTER) left out.
 */
export function clusterStatusesJson(proxy: EnvoyProxy, nowMs: number): unknown {
  const thresholds = { max_connections: UNLIMITED, max_pending_requests: UNLIMITED, max_requests: UNLIMITED, max_retries: UNLIMITED };
  return {
    cluster_statuses: proxy.clusters().map((c) => ({
      name: c.name,
      ...(c.addedViaApi ? { added_via_api: true } : {}),
      observability_name: c.name,
      circuit_breakers: { thresholds: [thresholds, { priority: 'HIGH', ...thresholds }] },
      host_statuses: c.hosts.map((h) => ({
        address: h.pipe !== undefined ? { pipe: { path: h.pipe } } : { socket_address: { address: h.address, port_value: h.port } },
        stats: hostStats(proxy, c, nowMs).map((s) => ({
          ...(s.gauge ? { type: 'GAUGE' } : {}),
          name: s.name,
          ...(s.value ? { value: String(s.value) } : {}),
        })),
        health_status: { eds_health_status: 'HEALTHY' },
        weight: 1,
        locality: {},
      })),
    })),
  };
}

/** `/clusters` in Envoy's text form: `cluster::host::stat::value` lines. */
export function clusterStatusesText(proxy: EnvoyProxy, nowMs: number): string {
  const lines: string[] = [];
  for (const c of proxy.clusters()) {
    lines.push(`${c.name}::observability_name::${c.name}`);
    for (const priority of ['default', 'high']) {
      for (const limit of ['max_connections', 'max_pending_requests', 'max_requests', 'max_retries']) {
        lines.push(`${c.name}::${priority}_priority::${limit}::${UNLIMITED}`);
      }
    }
    lines.push(`${c.name}::added_via_api::${c.addedViaApi}`);
    for (const h of c.hosts) {
      const prefix = `${c.name}::${h.pipe !== undefined ? `unix://${h.pipe}` : `${h.address}:${h.port}`}`;
      for (const s of hostStats(proxy, c, nowMs)) lines.push(`${prefix}::${s.name}::${s.value}`);
      lines.push(`${prefix}::hostname::`, `${prefix}::health_flags::healthy`, `${prefix}::weight::1`);
      lines.push(`${prefix}::region::`, `${prefix}::zone::`, `${prefix}::sub_zone::`, `${prefix}::canary::false`, `${prefix}::priority::0`);
      lines.push(`${prefix}::success_rate::-1`, `${prefix}::local_origin_success_rate::-1`);
    }
  }
  return lines.join('\n') + '\n';
}
