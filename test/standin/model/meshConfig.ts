/**
 * The mesh-wide settings of the stand-in's Istio control plane that change what a sidecar shows.
 *
 * - `default`: what `istioctl install` (the default profile) gives: no `accessLogFile`, so no
 *   access log; no `proxyStatsMatcher`, so Envoy keeps only the bootstrap's inclusion list
 *   (`cluster_manager`, `listener_manager`, `server`, `cluster.xds-grpc`, ...), and per-cluster
 *   connect counters are not exported.
 * - `demo`: the richer mesh of the demo (Istio's `demo` profile sets `accessLogFile: /dev/stdout`)
 *   plus a mesh-wide `defaultConfig.proxyStatsMatcher` that exports every `cluster.` stat.
 */
export type MeshProfileName = 'default' | 'demo';

/** Istio's ProxyConfig.proxyStatsMatcher: added to the bootstrap's inclusion list. */
export interface ProxyStatsMatcher {
  readonly inclusionPrefixes: readonly string[];
  readonly inclusionSuffixes: readonly string[];
  readonly inclusionRegexps: readonly string[];
}

export interface MeshConfig {
  readonly profile: MeshProfileName;
  /** MeshConfig.accessLogFile; empty: no access log. */
  readonly accessLogFile: string;
  /** MeshConfig.defaultConfig.proxyStatsMatcher, or null. */
  readonly proxyStatsMatcher: ProxyStatsMatcher | null;
}

export const MESH_PROFILES: readonly MeshProfileName[] = ['default', 'demo'];

export function meshConfigFor(profile: MeshProfileName): MeshConfig {
  if (profile === 'demo') {
    return { profile, accessLogFile: '/dev/stdout', proxyStatsMatcher: { inclusionPrefixes: ['cluster.'], inclusionSuffixes: [], inclusionRegexps: [] } };
  }
  return { profile, accessLogFile: '', proxyStatsMatcher: null };
}

/** The pod annotation Istio reads a per-pod ProxyConfig from (JSON is valid YAML). */
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/**
 * `proxyStatsMatcher` of a pod's `proxy.istio.io/config` annotation, or null when it has none.
 * The stand-in reads the JSON form only (a test writes it); YAML there is ignored.
 */
export function podStatsMatcher(annotations: Readonly<Record<string, string>>): ProxyStatsMatcher | null {
  const text = annotations[PROXY_CONFIG_ANNOTATION];
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const m = (parsed as { proxyStatsMatcher?: Record<string, unknown> } | null)?.proxyStatsMatcher;
  if (!m || typeof m !== 'object') return null;
  return { inclusionPrefixes: strings(m.inclusionPrefixes), inclusionSuffixes: strings(m.inclusionSuffixes), inclusionRegexps: strings(m.inclusionRegexps) };
}
