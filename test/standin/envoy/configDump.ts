import { configOfType, realConfigDump } from './realDumps';
import { applyFieldMask } from './fieldMask';
import { type EnvoyProxy } from './proxy';
import { formatIstioVersion } from './istioVersion';

type Json = Record<string, unknown>;

const ADMIN = 'type.googleapis.com/envoy.admin.v3.';

/** `resource=` names and the message type of each element, per Envoy's admin protos. */
const RESOURCE_TYPES: Record<string, string> = {
  static_clusters: 'ClustersConfigDump.StaticCluster',
  dynamic_active_clusters: 'ClustersConfigDump.DynamicCluster',
  dynamic_warming_clusters: 'ClustersConfigDump.DynamicCluster',
  static_listeners: 'ListenersConfigDump.StaticListener',
  dynamic_listeners: 'ListenersConfigDump.DynamicListener',
  static_route_configs: 'RoutesConfigDump.StaticRouteConfig',
  dynamic_route_configs: 'RoutesConfigDump.DynamicRouteConfig',
  static_secrets: 'SecretsConfigDump.StaticSecret',
  dynamic_active_secrets: 'SecretsConfigDump.DynamicSecret',
  dynamic_warming_secrets: 'SecretsConfigDump.DynamicSecret',
  static_endpoint_configs: 'EndpointsConfigDump.StaticEndpointConfig',
  dynamic_endpoint_configs: 'EndpointsConfigDump.DynamicEndpointConfig',
};

/** The bootstrap node this pod's Envoy announces (Istio's `sidecar~IP~POD.NS~NS.svc.cluster.local`). */
export function bootstrapNode(proxy: EnvoyProxy): Json {
  const real = configOfType(realConfigDump(), 'BootstrapConfigDump').bootstrap as Json;
  const node = structuredClone(real.node as Json);
  const { namespace, name, ip } = proxy.pod;
  node.id = `sidecar~${ip}~${name}.${namespace}~${namespace}.svc.cluster.local`;
  // Istio's node cluster is `<workload>.<namespace>`: the pod name without controller suffixes.
  node.cluster = `${name.replace(/-[a-z0-9]+(-[a-z0-9]+)?$/, '')}.${namespace}`;
  const metadata = (node.metadata ??= {}) as Json;
  metadata.ISTIO_VERSION = formatIstioVersion(proxy.version);
  metadata.NAME = name;
  metadata.NAMESPACE = namespace;
  return node;
}

/**
 * The pod's full config dump: the real dump with this pod's node and clusters in place of the
 * recorded ones. Endpoints are left out unless asked for, as Envoy does without `include_eds`.
 */
export function buildConfigDump(proxy: EnvoyProxy, includeEds: boolean): Json {
  const dump = structuredClone(realConfigDump());
  const configs = (dump.configs as Json[]).filter((c) => includeEds || !String(c['@type']).endsWith('EndpointsConfigDump'));
  const bootstrap = configs.find((c) => String(c['@type']).endsWith('BootstrapConfigDump'));
  if (bootstrap) (bootstrap.bootstrap as Json).node = bootstrapNode(proxy);
  const clusters = configs.find((c) => String(c['@type']).endsWith('ClustersConfigDump'));
  if (clusters) {
    const entry = (c: ReturnType<EnvoyProxy['clusters']>[number]) => ({
      ...(c.addedViaApi ? { version_info: '2026-11-26T15:00:00Z/42' } : {}),
      cluster: c.config,
      last_updated: c.lastUpdated,
    });
    const all = proxy.clusters();
    clusters.static_clusters = all.filter((c) => !c.addedViaApi).map(entry);
    clusters.dynamic_active_clusters = all.filter((c) => c.addedViaApi).map(entry);
  }
  return { configs };
}

export type ConfigDumpResult = { ok: true; body: Json } | { ok: false; status: number; message: string };

/** `/config_dump?resource=&mask=`: with a resource, one entry per resource and the mask per entry. */
export function selectConfigDump(proxy: EnvoyProxy, query: URLSearchParams): ConfigDumpResult {
  const resource = query.get('resource');
  const mask = query.get('mask');
  const includeEds = query.has('include_eds');
  const dump = buildConfigDump(proxy, includeEds || resource === 'dynamic_endpoint_configs' || resource === 'static_endpoint_configs');
  let configs = dump.configs as Json[];
  if (resource) {
    const type = RESOURCE_TYPES[resource];
    if (!type) return { ok: false, status: 404, message: `${resource} not found in config dump\n` };
    configs = configs.flatMap((c) => ((c[resource] as Json[] | undefined) ?? []).map((r) => ({ '@type': ADMIN + type, ...r })));
  }
  if (mask) {
    configs = configs.map((c) => applyFieldMask(c, mask));
    // source/server/admin/config_dump_handler.cc: a mask that selects no field of the message is
    // refused (checkFieldMaskAndTrimMessage), with the mask's DebugString in the text.
    if (configs.length > 0 && configs.every((c) => Object.keys(c).every((k) => k === '@type'))) {
      const paths = mask.split(',').map((p) => `paths: "${p}"\n`).join('');
      return { ok: false, status: 400, message: `FieldMask ${paths} could not be successfully used.` };
    }
  }
  return { ok: true, body: { configs } };
}
