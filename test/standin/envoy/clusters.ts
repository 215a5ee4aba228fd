import { stableNumber } from '../model/ids';
import { realBootstrapClusters, realOutboundCluster } from './realDumps';

type Json = Record<string, unknown>;

export const IDENTITY_CLUSTER = 'outbound|443||idp.example.com';
/** The identity provider's public address as the incident's logs show it (52.x.x.x). */
export const IDENTITY_HOST = { address: '52.14.3.7', port: 443 };

/** An endpoint as /clusters reports it: a socket address, or a pipe (Unix socket) path. */
export interface UpstreamHost {
  readonly address: string;
  readonly port: number;
  /** Set for Istio's own xds-grpc and sds-grpc, whose endpoints are Unix sockets. */
  readonly pipe?: string;
}

/** One cluster of a pod's Envoy: its config (as /config_dump shows it) and its endpoints. */
export interface EnvoyCluster {
  readonly name: string;
  readonly addedViaApi: boolean;
  readonly config: Json;
  readonly hosts: readonly UpstreamHost[];
  readonly lastUpdated: string;
}

/** Services every generated sidecar talks to, besides the identity provider. */
const NEIGHBOURS = [
  { host: 'catalog.shop.svc.cluster.local', port: 8080 },
  { host: 'payments.shop.svc.cluster.local', port: 8443 },
  { host: 'cart.shop.svc.cluster.local', port: 8080 },
  { host: 'idp.identity.svc.cluster.local', port: 8443 },
];

/**
 * Clones the real outbound cluster under a new name: renamed everywhere the name appears (EDS
 * service name, Istio metadata), its connect_timeout replaced, subset dropped.
 */
export function cloneOutboundCluster(host: string, port: number, connectTimeout: string): Json {
  const c = structuredClone(realOutboundCluster());
  const name = `outbound|${port}||${host}`;
  c.name = name;
  c.connect_timeout = connectTimeout;
  const eds = c.eds_cluster_config as Json | undefined;
  if (eds) eds.service_name = name;
  const istio = ((c.metadata as Json | undefined)?.filter_metadata as Json | undefined)?.istio as Json | undefined;
  if (istio) {
    istio.default_original_port = port;
    delete istio.subset;
    delete istio.config;
    const [short, namespace] = host.split('.');
    istio.services = [{ host, name: short, namespace: namespace ?? 'default' }];
  }
  return c;
}

/** The external identity provider (a ServiceEntry with DNS resolution): STRICT_DNS, no EDS. */
function identityClusterConfig(connectTimeout: string): Json {
  const c = cloneOutboundCluster('idp.example.com', 443, connectTimeout);
  c.type = 'STRICT_DNS';
  delete c.eds_cluster_config;
  c.dns_lookup_family = 'V4_ONLY';
  c.load_assignment = {
    cluster_name: IDENTITY_CLUSTER,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'idp.example.com', port_value: 443 } } } }] }],
  };
  return c;
}

function neighbourAddress(seed: string, port: number): UpstreamHost {
  const n = stableNumber(seed, 0xffff);
  return { address: `10.${100 + (n % 50)}.${(n >> 8) & 0xff}.${Math.max(2, n & 0xff)}`, port };
}

/** The endpoint of a bootstrap cluster as its load_assignment gives it (socket address or pipe). */
function bootstrapHost(config: Json): UpstreamHost[] {
  const endpoints = (config.load_assignment as Json | undefined)?.endpoints as Json[] | undefined;
  const address = ((endpoints?.[0]?.lb_endpoints as Json[] | undefined)?.[0]?.endpoint as Json | undefined)?.address as Json | undefined;
  const pipe = address?.pipe as Json | undefined;
  if (pipe) return [{ address: String(pipe.path), port: 0, pipe: String(pipe.path) }];
  const socket = address?.socket_address as Json | undefined;
  return socket ? [{ address: String(socket.address), port: Number(socket.port_value) }] : [];
}

/**
 * The clusters Istio's sidecar cluster builder always adds (pilot/pkg/networking/core/cluster_builder.go
 * and cluster.go): BlackHoleCluster (STATIC, no endpoints), PassthroughCluster and
 * InboundPassthroughCluster (ORIGINAL_DST, CLUSTER_PROVIDED; the inbound one binds 127.0.0.6),
 * all at the mesh's connect timeout (10s). The real dumps in ../shared have none of them (they are
 * a waypoint's), so their fields follow the builder.
 */
function istioBuiltInClusters(): Json[] {
  const originalDst = (name: string, inbound: boolean): Json => ({
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    name,
    type: 'ORIGINAL_DST',
    connect_timeout: '10s',
    lb_policy: 'CLUSTER_PROVIDED',
    circuit_breakers: { thresholds: [{ max_connections: 4294967295, max_pending_requests: 4294967295, max_requests: 4294967295, max_retries: 4294967295, track_remaining: true }] },
    ...(inbound ? { upstream_bind_config: { source_address: { address: '127.0.0.6', port_value: 0 } } } : {}),
  });
  return [{ '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: 'BlackHoleCluster', type: 'STATIC', connect_timeout: '10s' }, originalDst('PassthroughCluster', false), originalDst('InboundPassthroughCluster', true)];
}

/** `inbound|PORT||`: the cluster for one container port of the pod itself (ORIGINAL_DST since Istio 1.10). */
function inboundCluster(port: number, service: { host: string; name: string; namespace: string }): Json {
  return {
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    name: `inbound|${port}||`,
    type: 'ORIGINAL_DST',
    connect_timeout: '10s',
    lb_policy: 'CLUSTER_PROVIDED',
    upstream_bind_config: { source_address: { address: '127.0.0.6', port_value: 0 } },
    metadata: { filter_metadata: { istio: { services: [service] } } },
  };
}

/** The pod a sidecar's clusters are built for. */
export interface ClusterPod {
  readonly key: string;
  readonly namespace: string;
  readonly ip: string;
  /** The app's name (the `app` label), for the inbound clusters' service. */
  readonly app: string;
  /** Container ports of the app containers: one `inbound|PORT||` each. */
  readonly ports: readonly number[];
}

/**
 * The clusters of one sidecar, as a sidecar has them: the bootstrap's static clusters (from the
 * real default_golden.json: prometheus_stats, agent, sds-grpc and xds-grpc at 1s on pipes),
 * Istio's built-in ones, one `inbound|PORT||` per app port, the identity provider at
 * `identityConnectTimeout`, clones of the real outbound cluster for the neighbours at Istio's
 * default 10s, then `extra` generated clones (the scale knob).
 */
export function buildClusters(pod: ClusterPod, identityConnectTimeout: string, extra: number, lastUpdated: string): EnvoyCluster[] {
  const clusters: EnvoyCluster[] = realBootstrapClusters().map((config) => ({ name: String(config.name), addedViaApi: false, config, hosts: bootstrapHost(config), lastUpdated }));
  for (const config of istioBuiltInClusters()) clusters.push({ name: String(config.name), addedViaApi: true, config, hosts: [], lastUpdated });
  for (const port of pod.ports) {
    const service = { host: `${pod.app}.${pod.namespace}.svc.cluster.local`, name: pod.app, namespace: pod.namespace };
    clusters.push({ name: `inbound|${port}||`, addedViaApi: true, config: inboundCluster(port, service), hosts: [{ address: pod.ip, port }], lastUpdated });
  }
  clusters.push({ name: IDENTITY_CLUSTER, addedViaApi: true, config: identityClusterConfig(identityConnectTimeout), hosts: [IDENTITY_HOST], lastUpdated });
  const outbound = (host: string, port: number): EnvoyCluster => {
    const config = cloneOutboundCluster(host, port, '10s');
    return { name: String(config.name), addedViaApi: true, config, hosts: [neighbourAddress(`${pod.key}/${host}`, port)], lastUpdated };
  };
  for (const n of NEIGHBOURS) clusters.push(outbound(n.host, n.port));
  for (let i = 0; i < extra; i++) clusters.push(outbound(`svc-${i}.ns-${i % 97}.svc.cluster.local`, 8000 + (i % 1000)));
  return clusters;
}
