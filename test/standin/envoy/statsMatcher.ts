import { readFileSync } from 'node:fs';
import { realFixture } from '../fixtures';
import { type ProxyStatsMatcher } from '../model/meshConfig';

interface Pattern {
  readonly prefix?: string;
  readonly suffix?: string;
  readonly safe_regex?: { readonly regex: string };
}

let bootstrapPatterns: readonly Pattern[] | null = null;

/** The inclusion list of Istio's default bootstrap (pkg/bootstrap/testdata/default_golden.json), read from the real file. */
export function defaultInclusionPatterns(): readonly Pattern[] {
  bootstrapPatterns ??= (
    JSON.parse(readFileSync(realFixture('istio/bootstrap-default_golden.json'), 'utf8')) as {
      stats_config: { stats_matcher: { inclusion_list: { patterns: Pattern[] } } };
    }
  ).stats_config.stats_matcher.inclusion_list.patterns;
  return bootstrapPatterns;
}

/**
 * Envoy's stats_matcher as Istio's bootstrap writes it: the default inclusion list, plus what
 * `proxyStatsMatcher` (mesh config or the pod's `proxy.istio.io/config`) adds. A stat outside it
 * is not created at all, so `/stats` does not list it (not even as 0).
 */
export function statsInclusion(extra: readonly (ProxyStatsMatcher | null)[]): (name: string) => boolean {
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const regexps: RegExp[] = [];
  for (const p of defaultInclusionPatterns()) {
    if (p.prefix !== undefined) prefixes.push(p.prefix);
    if (p.suffix !== undefined) suffixes.push(p.suffix);
    if (p.safe_regex) regexps.push(new RegExp(`^(?:${p.safe_regex.regex})$`));
  }
  for (const m of extra) {
    if (!m) continue;
    prefixes.push(...m.inclusionPrefixes);
    suffixes.push(...m.inclusionSuffixes);
    for (const r of m.inclusionRegexps) {
      try {
        regexps.push(new RegExp(`^(?:${r})$`));
      } catch {
        // Istio rejects the proxy config; the stand-in just ignores the bad pattern.
      }
    }
  }
  return (name) => prefixes.some((p) => name.startsWith(p)) || suffixes.some((s) => name.endsWith(s)) || regexps.some((r) => r.test(name));
}
