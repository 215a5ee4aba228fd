import { MESH_WIDE_SITES } from './describeFinding';
import type { ConnectTimeoutSetting } from './lintManifest';

/** The namespace Istio reads mesh-wide policy from when the mesh config sets no `rootNamespace`. */
export const ROOT_NAMESPACE = 'istio-system';

export interface LocatedSetting {
  file: string;
  setting: ConnectTimeoutSetting;
}

/** A DestinationRule that overrides a mesh-wide value, and the client namespaces it does so for (null: all). */
export interface Override extends LocatedSetting {
  readonly appliedFrom: readonly string[] | null;
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

/** The folders a mesh config's file shares with the files of its configuration: its folder's parent. */
const configurationFolders = (meshFile: string): string[] => folderOf(meshFile).slice(0, -1);

/** All that sameConfiguration reads of a mesh config's file: files with equal keys belong with the same rule files. */
export const configurationKey = (meshFile: string): string => configurationFolders(meshFile).join('/');

/**
 * Whether a DestinationRule's file belongs with a mesh config's file: in its folder, below it, or
 * below its parent folder (an `istio/` folder next to `apps/`). Files that share only the
 * repository root (test data of unrelated suites, other environments) are not one mesh.
 */
export function sameConfiguration(meshFile: string, ruleFile: string): boolean {
  const parent = configurationFolders(meshFile);
  const rule = folderOf(ruleFile);
  return parent.every((part, i) => rule[i] === part);
}

/** The Kubernetes namespace of a qualified host (`name.ns.svc.cluster.local`, `*.ns.svc.cluster.local`); null for other hosts. */
function serviceNamespace(qualifiedHost: string): string | null {
  const m = /^(?:\*|[a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(qualifiedHost);
  return m === null ? null : m[1];
}

/**
 * The client namespaces from which Istio applies a DestinationRule, or null for every namespace.
 * Istio looks a host's rule up in the client's own namespace (rules exported there with `.`, `*`
 * or its name), then among the rules the host's own namespace exports, then the root namespace's;
 * a rule exported from any other namespace is never used. Without `exportTo` a rule is exported to
 * `*`. A rule without a namespace (applied with `-n`) is taken as in the host's namespace.
 */
export function namespacesApplying(rule: ConnectTimeoutSetting, rootNamespace: string = ROOT_NAMESPACE): readonly string[] | null {
  const own = rule.resource.namespace;
  const exportTo = rule.resource.exportTo === undefined || rule.resource.exportTo.length === 0 ? ['*'] : rule.resource.exportTo;
  const hostNamespace = rule.host === null ? null : serviceNamespace(qualifyHost(rule.host, own));
  const exportedFromHere = own === null || hostNamespace === null || own === hostNamespace || own === rootNamespace;
  if (exportedFromHere && exportTo.includes('*')) return null;
  const seeing = new Set<string>();
  if (own !== null && (exportTo.includes('.') || exportTo.includes('*') || exportTo.includes(own))) seeing.add(own);
  if (exportedFromHere) for (const ns of exportTo) if (ns !== '.' && ns !== '~' && ns !== '*') seeing.add(ns);
  return [...seeing].sort();
}

/** Which of Istio's three lookups finds the rule for a client in `client` (3 = its own namespace first); 0 when none does. */
function lookupStep(rule: ConnectTimeoutSetting, client: string, rootNamespace: string): number {
  const seeing = namespacesApplying(rule, rootNamespace);
  if (seeing !== null && !seeing.includes(client)) return 0;
  const own = rule.resource.namespace;
  if (own === client) return 3;
  return own === rootNamespace ? 1 : 2;
}

/** The root namespace of the mesh-wide value in `all` (the mesh these settings belong to). */
function rootNamespaceOf(all: readonly LocatedSetting[]): string {
  return all.find((l) => MESH_WIDE_SITES.has(l.setting.site) && l.setting.meshRootNamespace !== undefined)?.setting.meshRootNamespace ?? ROOT_NAMESPACE;
}

/**
 * DestinationRules in `all` whose connect timeout overrides the mesh-wide `meshSetting` for their
 * host, from at least one namespace (see namespacesApplying). With `meshFile`, only rules of the
 * same configuration (see sameConfiguration) count.
 */
export function findOverridingDestinationRules<T extends LocatedSetting>(meshSetting: ConnectTimeoutSetting, all: readonly T[], meshFile?: string): (T & Override)[] {
  if (!MESH_WIDE_SITES.has(meshSetting.site)) return [];
  const root = meshSetting.meshRootNamespace ?? ROOT_NAMESPACE;
  return all.flatMap((located) => {
    if (!isEffectiveDestinationRule(located.setting) || (meshFile !== undefined && !sameConfiguration(meshFile, located.file))) return [];
    const appliedFrom = namespacesApplying(located.setting, root);
    return appliedFrom?.length === 0 ? [] : [{ ...located, appliedFrom }];
  });
}

/** Where an override applies, in words: "" when from every namespace. */
export function appliedFromText(appliedFrom: readonly string[] | null): string {
  if (appliedFrom === null) return '';
  return ` (for clients in ${appliedFrom.length === 1 ? 'namespace' : 'namespaces'} ${appliedFrom.join(', ')} only)`;
}

/**
 * The workspace setting that produces a cluster's connect timeout for a client in `namespace`
 * (null: unknown): the DestinationRule Istio would pick for the host (FQDN or short name), else
 * the mesh-wide value. With a known client, only rules applied from its namespace count, in
 * Istio's order (its own namespace, the host's, the root namespace); then the most specific host
 * wins, then a rule whose whole traffic policy applies (not only a subset or a port).
 */
export function findSettingForHost(host: string, namespace: string | null, all: readonly LocatedSetting[]): LocatedSetting | null {
  const wanted = qualifyHost(host, namespace);
  const root = rootNamespaceOf(all);
  let best: { located: LocatedSetting; rank: number[] } | null = null;
  for (const located of all) {
    const { setting } = located;
    if (!isEffectiveDestinationRule(setting) || setting.host === null) continue;
    const ruleHost = qualifyHost(setting.host, setting.resource.namespace);
    if (!hostCovers(ruleHost, wanted)) continue;
    const step = namespace === null ? (namespacesApplying(setting, root)?.length === 0 ? 0 : 1) : lookupStep(setting, namespace, root);
    if (step === 0) continue;
    const rank = [step, hostSpecificity(ruleHost), setting.path === 'spec.trafficPolicy.connectionPool.tcp.connectTimeout' ? 1 : 0];
    if (best === null || compareRanks(rank, best.rank) > 0) best = { located, rank };
  }
  if (best !== null) return best.located;
  return all.find((located) => MESH_WIDE_SITES.has(located.setting.site)) ?? null;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
