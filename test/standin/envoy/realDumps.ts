import { readFileSync } from 'node:fs';
import { realFixture } from '../fixtures';

/* The real Envoy admin output the emulation starts from (istioctl's test data), parsed once. */

type Json = Record<string, unknown>;

let proxyConfigDump: Json | null = null;
let describeDump: Json | null = null;

function load(relative: string): Json {
  return JSON.parse(readFileSync(realFixture(relative), 'utf8')) as Json;
}

/** A full sidecar `/config_dump` (bootstrap, clusters, listeners, routes, secrets...). */
export function realConfigDump(): Json {
  proxyConfigDump ??= load('istio/istioctl-proxyconfig-config_dump.json');
  return proxyConfigDump;
}

function configsOf(dump: Json): Json[] {
  return dump.configs as Json[];
}

export function configOfType(dump: Json, typeSuffix: string): Json {
  const found = configsOf(dump).find((c) => String(c['@type']).endsWith(typeSuffix));
  if (!found) throw new Error(`real config dump has no ${typeSuffix}`);
  return found;
}

/** The real outbound EDS cluster (`outbound|9080|v1|productpage...`, connect_timeout 10s) to clone. */
export function realOutboundCluster(): Json {
  describeDump ??= load('istio/istioctl-describe-http_config.json');
  const clusters = configOfType(describeDump, 'ClustersConfigDump').dynamic_active_clusters as Json[];
  return clusters[0].cluster as Json;
}

let bootstrapClusters: Json[] | null = null;

/**
 * The static clusters of Istio's generated bootstrap (pkg/bootstrap/testdata/default_golden.json):
 * prometheus_stats and agent (0.250s), sds-grpc and xds-grpc (1s, pipe addresses).
 */
export function realBootstrapClusters(): Json[] {
  bootstrapClusters ??= ((load('istio/bootstrap-default_golden.json').static_resources as Json).clusters as Json[]).map((c) => ({
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    ...c,
  }));
  return bootstrapClusters.map((c) => structuredClone(c));
}
