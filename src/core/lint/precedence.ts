import { MESH_WIDE_SITES } from './describeFinding';
import type { ConnectTimeoutSetting } from './lintManifest';

export interface LocatedSetting {
  file: string;
  setting: ConnectTimeoutSetting;
}

const CLUSTER_DOMAIN = 'svc.cluster.local';

/**
 * Istio reads a DestinationRule host without dots relative to the rule's namespace, so `reviews`
 * in `bookinfo` is `reviews.bookinfo.svc.cluster.local`; anything else is taken as written.
 */
export function qualifyHost(host: string, namespace: string | null): string {
  const lower = host.toLowerCase();
  if (lower.includes('.') || lower.includes('*')) return lower;
  return `${lower}.${namespace ?? 'default'}.${CLUSTER_DOMAIN}`;
}

/** True when a DestinationRule host (exact or `*.suffix` wildcard, already qualified) covers `host`. */
function hostCovers(ruleHost: string, host: string): boolean {
  if (ruleHost === host || ruleHost === '*') return true;
  return ruleHost.startsWith('*.') && host.endsWith(ruleHost.slice(1));
}

/** Exact hosts beat wildcards, and longer wildcards beat shorter ones, as in Istio's host matching. */
function hostSpecificity(ruleHost: string): number {
  return ruleHost.startsWith('*') ? ruleHost.length : Number.MAX_SAFE_INTEGER;
}

/** A DestinationRule that Istio applies: its value parses and passes validation. */
function isEffectiveDestinationRule(setting: ConnectTimeoutSetting): boolean {
  return setting.site === 'DestinationRule' && setting.host !== null && setting.seconds !== null && setting.seconds >= 0.001;
}

const folderOf = (file: string): string[] => file.split(/[\\/]/).slice(0, -1).filter((part) => part !== '' && part !== '.');

/**
 * Whether a DestinationRule's file belongs with a mesh config's file: in its folder, below it, or
 * below its parent folder (an `istio/` folder next to `apps/`). Files that share only the
 * repository root (test data of unrelated suites, other environments) are not one mesh.
 */
export function sameConfiguration(meshFile: string, ruleFile: string): boolean {
  const parent = folderOf(meshFile).slice(0, -1);
  const rule = folderOf(ruleFile);
  return parent.every((part, i) => rule[i] === part);
}

/**
 * DestinationRules in `all` whose connect timeout overrides the mesh-wide `meshSetting` for their
 * host. With `meshFile`, only rules of the same configuration (see sameConfiguration) count.
 */
export function findOverridingDestinationRules(meshSetting: ConnectTimeoutSetting, all: readonly LocatedSetting[], meshFile?: string): LocatedSetting[] {
  if (!MESH_WIDE_SITES.has(meshSetting.site)) return [];
  return all.filter((located) => isEffectiveDestinationRule(located.setting) && (meshFile === undefined || sameConfiguration(meshFile, located.file)));
}

/**
 * The workspace setting that produces a cluster's connect timeout: a DestinationRule for the host
 * (FQDN or short name, namespace-aware) else the mesh-wide value. Among several rules, the most
 * specific host wins, then a rule in `namespace` (the client's, as Istio prefers), then one whose
 * whole traffic policy applies (not only a subset or a port).
 */
export function findSettingForHost(host: string, namespace: string | null, all: readonly LocatedSetting[]): LocatedSetting | null {
  const wanted = qualifyHost(host, namespace);
  let best: { located: LocatedSetting; rank: number[] } | null = null;
  for (const located of all) {
    const { setting } = located;
    if (!isEffectiveDestinationRule(setting) || setting.host === null) continue;
    const ruleHost = qualifyHost(setting.host, setting.resource.namespace);
    if (!hostCovers(ruleHost, wanted)) continue;
    const rank = [
      hostSpecificity(ruleHost),
      namespace !== null && setting.resource.namespace === namespace ? 1 : 0,
      setting.path === 'spec.trafficPolicy.connectionPool.tcp.connectTimeout' ? 1 : 0,
    ];
    if (best === null || compareRanks(rank, best.rank) > 0) best = { located, rank };
  }
  if (best !== null) return best.located;
  return all.find((located) => MESH_WIDE_SITES.has(located.setting.site)) ?? null;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
