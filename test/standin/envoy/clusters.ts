import { stableNumber } from '../model/ids';
import { configOfType, realConfigDump, realOutboundCluster } from './realDumps';

type Json = Record<string, unknown>;

export const IDENTITY_CLUSTER = 'outbound|443||idp.example.com';
/** The identity provider's public address as the incident's logs show it (52.x.x.x). */
export const IDENTITY_HOST = { address: '52.14.3.7', port: 443 };

export interface UpstreamHost {
  readonly address: string;
  readonly port: number;
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

/**
 * The clusters of one sidecar: the real static and inbound clusters, the identity provider at
 * `identityConnectTimeout`, clones for the neighbours at Istio's default 10s, then `extra`
 * generated clones (the scale knob).
 */
export function buildClusters(podKey: string, identityConnectTimeout: string, extra: number, lastUpdated: string): EnvoyCluster[] {
  const dump = configOfType(realConfigDump(), 'ClustersConfigDump');
  const fromReal = (entries: unknown, addedViaApi: boolean): EnvoyCluster[] =>
    ((entries as Json[] | undefined) ?? []).map((e) => {
      const config = e.cluster as Json;
      const name = String(config.name);
      return { name, addedViaApi, config, hosts: [neighbourAddress(`${podKey}/${name}`, 15020)], lastUpdated };
    });
  const clusters = [...fromReal(dump.static_clusters, false), ...fromReal(dump.dynamic_active_clusters, true)];
  clusters.push({ name: IDENTITY_CLUSTER, addedViaApi: true, config: identityClusterConfig(identityConnectTimeout), hosts: [IDENTITY_HOST], lastUpdated });
  const outbound = (host: string, port: number): EnvoyCluster => {
    const config = cloneOutboundCluster(host, port, '10s');
    return { name: String(config.name), addedViaApi: true, config, hosts: [neighbourAddress(`${podKey}/${host}`, port)], lastUpdated };
  };
  for (const n of NEIGHBOURS) clusters.push(outbound(n.host, n.port));
  for (let i = 0; i < extra; i++) clusters.push(outbound(`svc-${i}.ns-${i % 97}.svc.cluster.local`, 8000 + (i % 1000)));
  return clusters;
}
