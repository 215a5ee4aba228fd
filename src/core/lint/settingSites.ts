/**
 * Where the workspace sets the value behind a cause, from the settings the linting core found in
 * each manifest (lintManifest's `settings`): the DestinationRule for the cluster's host, and the
 * mesh-wide connect timeout that applies where no DestinationRule sets one.
 */

import type { ManifestSite, RankedCause } from '../diagnose/types';
import { parseClusterName } from '../envoy/clusterName';
import { MESH_WIDE_SITES } from './describeFinding';
import type { ConnectTimeoutSetting } from './lintManifest';

/** One manifest's settings, as lintManifest returned them, under the name the report shows. */
export interface ManifestSettings {
  readonly file: string;
  readonly settings: readonly ConnectTimeoutSetting[];
}

/** The causes a connect timeout governs. */
const CONNECT_TIMEOUT_CAUSES: ReadonlySet<RankedCause['cause']> = new Set(['connect-timeout', 'upstream-connect-failure']);

/** A DestinationRule's `host` covers a cluster's host: the same name, its short form, or a `*.` wildcard. */
export function hostCovers(ruleHost: string, host: string): boolean {
  if (ruleHost === host || ruleHost === '*') return true;
  if (ruleHost.startsWith('*.')) return host.endsWith(ruleHost.slice(1));
  return host.startsWith(`${ruleHost}.`);
}

function site(file: string, s: ConnectTimeoutSetting): ManifestSite {
  const name = s.resource.name === null ? '' : ` ${s.resource.namespace ? `${s.resource.namespace}/` : ''}${s.resource.name}`;
  return { file, startLine: s.range.start.line + 1, endLine: s.range.end.line + 1, resource: `${s.resource.kind}${name}`, field: s.path, value: s.value };
}

/** The sites that set what governs `cause` on `clusters`: the DestinationRules for their hosts first, then the mesh-wide ones. */
export function settingSitesFor(cause: RankedCause['cause'], clusters: readonly string[], manifests: readonly ManifestSettings[]): ManifestSite[] {
  if (!CONNECT_TIMEOUT_CAUSES.has(cause)) return [];
  const hosts = clusters.map((c) => parseClusterName(c).host).filter((h): h is string => h !== null);
  const rules: ManifestSite[] = [];
  const mesh: ManifestSite[] = [];
  for (const m of manifests) {
    for (const s of m.settings) {
      if (s.site === 'DestinationRule' && s.host !== null && hosts.some((h) => hostCovers(s.host!, h))) rules.push(site(m.file, s));
      else if (MESH_WIDE_SITES.has(s.site)) mesh.push(site(m.file, s));
    }
  }
  return [...rules, ...mesh];
}
