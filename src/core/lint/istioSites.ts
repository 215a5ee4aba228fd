import { isScalar, type Node } from 'yaml';
import type { ConnectTimeoutSite } from './types';
import type { YamlWalker } from './yamlNodes';

/** A connect timeout value node and where in Istio's model it sits. */
export interface ConnectTimeoutNode {
  readonly site: ConnectTimeoutSite;
  readonly path: string;
  /** The key as written (`connectTimeout`, or `connect_timeout` in Envoy-style EnvoyFilter patches). */
  readonly key: string;
  readonly node: Node;
  readonly host: string | null;
  /** For a mesh-wide value: the `rootNamespace` its mesh config sets. */
  readonly meshRootNamespace?: string;
}

export interface ResourceRef {
  readonly kind: string;
  readonly name: string | null;
  readonly namespace: string | null;
  /** A DestinationRule's `exportTo`, when written. */
  readonly exportTo?: readonly string[];
}

/**
 * MeshConfig fields that an application's own config would not have; a document without
 * apiVersion/kind is read as a bare MeshConfig (istioctl --meshConfigFile) only when it has one.
 */
const MESH_CONFIG_KEYS = [
  'defaultConfig', 'enableTracing', 'ingressService', 'ingressClass', 'ingressControllerMode', 'accessLogFile',
  'accessLogEncoding', 'accessLogFormat', 'trustDomain', 'trustDomainAliases', 'rootNamespace', 'outboundTrafficPolicy',
  'enableAutoMtls', 'enablePrometheusMerge', 'defaultProviders', 'extensionProviders', 'discoverySelectors',
  'localityLbSetting', 'protocolDetectionTimeout', 'defaultDestinationRuleExportTo', 'defaultServiceExportTo',
  'defaultVirtualServiceExportTo', 'proxyListenPort', 'proxyHttpPort',
];
const join = (prefix: string, key: string): string => (prefix === '' ? key : `${prefix}.${key}`);

/** The connect timeouts a networking.istio.io resource of `kind` sets. */
export function scanDocumentTimeouts(w: YamlWalker, root: unknown, kind: string | null, out: ConnectTimeoutNode[]): void {
  if (kind === 'DestinationRule') scanDestinationRule(w, root, out);
  else if (kind === 'Sidecar') scanSidecar(w, root, out);
  else if (kind === 'EnvoyFilter') scanEnvoyFilter(w, root, out);
}

export function isBareMeshConfig(w: YamlWalker, root: unknown): boolean {
  const map = w.map(root);
  return map !== null && MESH_CONFIG_KEYS.some((key) => w.get(map, key) !== null);
}

/** `connectTimeout` of a MeshConfig, and the reserved `defaultConfig.connectTimeout` of its ProxyConfig. */
export function scanMeshConfig(w: YamlWalker, meshConfig: unknown, prefix: string, site: ConnectTimeoutSite, out: ConnectTimeoutNode[]): void {
  if (w.map(meshConfig) === null) return;
  const rootNamespace = w.string(w.get(meshConfig, 'rootNamespace'));
  const before = out.length;
  addTimeout(w, meshConfig, 'connectTimeout', prefix, site, null, out);
  if (rootNamespace !== null && out.length > before) out[before] = { ...out[before], meshRootNamespace: rootNamespace };
  addTimeout(w, w.get(meshConfig, 'defaultConfig'), 'connectTimeout', join(prefix, 'defaultConfig'), 'LegacyProxyConfig', null, out);
}

function scanDestinationRule(w: YamlWalker, root: unknown, out: ConnectTimeoutNode[]): void {
  const host = w.string(w.at(root, 'spec', 'host'));
  scanTrafficPolicy(w, w.at(root, 'spec', 'trafficPolicy'), 'spec.trafficPolicy', host, out);
  w.items(w.at(root, 'spec', 'subsets')).forEach((subset, i) => {
    scanTrafficPolicy(w, w.get(subset, 'trafficPolicy'), `spec.subsets[${i}].trafficPolicy`, host, out);
  });
}

function scanTrafficPolicy(w: YamlWalker, policy: unknown, prefix: string, host: string | null, out: ConnectTimeoutNode[]): void {
  scanConnectionPool(w, w.get(policy, 'connectionPool'), `${prefix}.connectionPool`, 'DestinationRule', host, out);
  w.items(w.get(policy, 'portLevelSettings')).forEach((port, i) => {
    scanConnectionPool(w, w.get(port, 'connectionPool'), `${prefix}.portLevelSettings[${i}].connectionPool`, 'DestinationRule', host, out);
  });
}

function scanSidecar(w: YamlWalker, root: unknown, out: ConnectTimeoutNode[]): void {
  scanConnectionPool(w, w.at(root, 'spec', 'inboundConnectionPool'), 'spec.inboundConnectionPool', 'Sidecar', null, out);
  w.items(w.at(root, 'spec', 'ingress')).forEach((ingress, i) => {
    scanConnectionPool(w, w.get(ingress, 'connectionPool'), `spec.ingress[${i}].connectionPool`, 'Sidecar', null, out);
  });
}

function scanConnectionPool(w: YamlWalker, pool: unknown, prefix: string, site: ConnectTimeoutSite, host: string | null, out: ConnectTimeoutNode[]): void {
  addTimeout(w, w.get(pool, 'tcp'), 'connectTimeout', `${prefix}.tcp`, site, host, out);
}

/**
 * EnvoyFilter patches that add or change a cluster carry Envoy's own field. Only the cluster's
 * top-level field counts: the same word inside other values (Lua code, for one) is not config.
 */
function scanEnvoyFilter(w: YamlWalker, root: unknown, out: ConnectTimeoutNode[]): void {
  w.items(w.at(root, 'spec', 'configPatches')).forEach((patch, i) => {
    if (w.string(w.get(patch, 'applyTo')) !== 'CLUSTER') return;
    const value = w.at(patch, 'patch', 'value');
    const host = w.string(w.at(patch, 'match', 'cluster', 'service'));
    const prefix = `spec.configPatches[${i}].patch.value`;
    addTimeout(w, value, 'connect_timeout', prefix, 'EnvoyFilter', host, out);
    addTimeout(w, value, 'connectTimeout', prefix, 'EnvoyFilter', host, out);
  });
}

function addTimeout(
  w: YamlWalker, parent: unknown, key: string, prefix: string, site: ConnectTimeoutSite, host: string | null, out: ConnectTimeoutNode[],
): void {
  const node = w.get(parent, key);
  // An empty value (`connectTimeout:`) leaves the field unset, as protobuf JSON reads null.
  if (node === null || (isScalar(node) && node.value === null)) return;
  out.push({ site, path: join(prefix, key), key, node, host });
}
