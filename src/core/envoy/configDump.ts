import { ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS, type ClusterConfig } from './types';
import { parseDuration } from '../duration';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Envoy's Cluster.DiscoveryType enum, for dumps that marshal it as a number (Go structs).
const DISCOVERY_TYPES = ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS', 'EDS', 'ORIGINAL_DST'];

function clusterType(c: Json): string {
  const t = c.type;
  if (typeof t === 'string') return t;
  if (typeof t === 'number') return DISCOVERY_TYPES[t] ?? `TYPE_${t}`;
  const custom = c.cluster_type ?? c.clusterType;
  if (isObject(custom) && typeof custom.name === 'string') return custom.name;
  // proto3 JSON omits the zero enum value, which is STATIC.
  return 'STATIC';
}

function toClusterConfig(c: Json, isStatic: boolean): ClusterConfig | null {
  if (typeof c.name !== 'string') return null;
  const rawTimeout = c.connect_timeout ?? c.connectTimeout;
  const defaulted = rawTimeout === undefined || rawTimeout === null;
  // parseDuration reads both the protobuf JSON string ("0.250s") and Go-struct integer nanoseconds.
  const parsed = defaulted ? null : parseDuration(rawTimeout);
  return {
    name: c.name,
    type: clusterType(c),
    connectTimeoutSeconds: parsed === null ? ENVOY_DEFAULT_CONNECT_TIMEOUT_SECONDS : parsed.ok ? parsed.seconds : null,
    connectTimeoutDefaulted: defaulted,
    isStatic,
    raw: c,
  };
}

function add(into: Map<string, ClusterConfig>, cluster: unknown, isStatic: boolean): void {
  if (!isObject(cluster)) return;
  const config = toClusterConfig(cluster, isStatic);
  if (config && !into.has(config.name)) into.set(config.name, config);
}

function addWrapped(into: Map<string, ClusterConfig>, list: unknown, isStatic: boolean): void {
  if (!Array.isArray(list)) return;
  for (const item of list) if (isObject(item)) add(into, item.cluster, isStatic);
}

/**
 * Collects the clusters of an already parsed Envoy config dump, touching only the top level of
 * each cluster (the objects are kept by reference, never walked or copied). Accepts:
 * - a full `/config_dump` (a `ClustersConfigDump` entry in `configs`),
 * - `/config_dump?resource=dynamic_active_clusters|static_clusters` (one entry per cluster),
 * - an array of clusters (`istioctl proxy-config cluster -o json`, snake_case or camelCase),
 * - an Envoy bootstrap (`static_resources.clusters`, all static),
 * - a map of name -> cluster (Go-struct marshalled CDS, with integer-nanosecond timeouts).
 */
export function collectClusterConfigs(dump: unknown, into: Map<string, ClusterConfig> = new Map()): Map<string, ClusterConfig> {
  if (Array.isArray(dump)) {
    for (const c of dump) add(into, c, false);
    return into;
  }
  if (!isObject(dump)) return into;
  if (Array.isArray(dump.configs)) {
    for (const entry of dump.configs) {
      if (!isObject(entry)) continue;
      const type = typeof entry['@type'] === 'string' ? entry['@type'] : '';
      if (type.endsWith('.ClustersConfigDump')) {
        addWrapped(into, entry.static_clusters, true);
        addWrapped(into, entry.dynamic_active_clusters, false);
        addWrapped(into, entry.dynamic_warming_clusters, false);
      } else if (type.endsWith('.ClustersConfigDump.StaticCluster')) {
        add(into, entry.cluster, true);
      } else if (type.endsWith('.ClustersConfigDump.DynamicCluster')) {
        add(into, entry.cluster, false);
      }
    }
    return into;
  }
  if (isObject(dump.static_resources)) {
    const clusters = dump.static_resources.clusters;
    if (Array.isArray(clusters)) for (const c of clusters) add(into, c, true);
    return into;
  }
  for (const value of Object.values(dump)) add(into, value, false);
  return into;
}
