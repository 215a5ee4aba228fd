import type { ClusterCounters } from './types';

/**
 * The cluster stats Mesh Doctor reads, by the field they fill, with Envoy's stat names
 * (`cluster.<name>.<stat>`, envoy/docs/root/configuration/upstream/cluster_manager/cluster_stats.rst).
 * Each proves one cause: connect timeouts and failures, remote resets of busy connections,
 * circuit-breaker overflows, outlier ejections, TLS handshake errors; totals tell traffic from none.
 */
export const CLUSTER_STAT_NAMES: { readonly [K in keyof ClusterCounters]: string } = {
  connectTimeouts: 'upstream_cx_connect_timeout',
  connectFailures: 'upstream_cx_connect_fail',
  connections: 'upstream_cx_total',
  requests: 'upstream_rq_total',
  remoteResetsWithActiveRequests: 'upstream_cx_destroy_remote_with_active_rq',
  pendingOverflows: 'upstream_rq_pending_overflow',
  ejectionsActive: 'outlier_detection.ejections_active',
  membershipHealthy: 'membership_healthy',
  membershipTotal: 'membership_total',
  tlsConnectionErrors: 'ssl.connection_error',
};

const FIELDS = Object.keys(CLUSTER_STAT_NAMES) as (keyof ClusterCounters)[];
const SUFFIXES = FIELDS.map((field) => ({ field, suffix: `.${CLUSTER_STAT_NAMES[field]}` }));

/** The admin `/stats` filter (RE2, matched anywhere in the name) that keeps only those cluster stats. */
export const CLUSTER_STATS_FILTER = `^cluster\\..+\\.(${FIELDS.map((f) => CLUSTER_STAT_NAMES[f].replace(/\./g, '\\.')).join('|')})$`;

const PREFIX = 'cluster.';

type MutableCounters = { -readonly [K in keyof ClusterCounters]: number | null };

/** Every field unknown: the stats matcher did not export it. */
export function unknownCounters(): ClusterCounters {
  const c = {} as MutableCounters;
  for (const f of FIELDS) c[f] = null;
  return c;
}

/** One shared all-unknown value for the rows of clusters without stats (most rows on Istio's default matcher). */
export const UNKNOWN_COUNTERS: ClusterCounters = Object.freeze(unknownCounters());

/**
 * Cluster names contain dots and pipes (`outbound|443||idp.example.com`), so a stat name
 * `cluster.<name>.<stat>` cannot be split on dots: strip the known prefix and the stat suffix
 * instead, and (when the caller knows the cluster names) keep only stats of known clusters.
 */
function record(out: Map<string, MutableCounters>, statName: string, value: number, known: ReadonlySet<string> | ReadonlyMap<string, unknown> | undefined): void {
  if (!statName.startsWith(PREFIX)) return;
  const hit = SUFFIXES.find((s) => statName.endsWith(s.suffix));
  if (!hit) return;
  const cluster = statName.slice(PREFIX.length, statName.length - hit.suffix.length);
  if (known && !known.has(cluster)) return;
  let counters = out.get(cluster);
  if (!counters) {
    counters = unknownCounters() as MutableCounters;
    out.set(cluster, counters);
  }
  counters[hit.field] = value;
}

function parseText(text: string, out: Map<string, MutableCounters>, known: ReadonlySet<string> | ReadonlyMap<string, unknown> | undefined): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    // `name: value`; the name itself may contain ": " only in tag-extracted stats, never for clusters.
    const sep = text.lastIndexOf(': ', end);
    if (sep > start) {
      const value = Number(text.slice(sep + 2, end).trim());
      if (Number.isFinite(value)) record(out, text.slice(start, sep), value, known);
    }
    start = end + 1;
  }
}

function parseJson(parsed: unknown, out: Map<string, MutableCounters>, known: ReadonlySet<string> | ReadonlyMap<string, unknown> | undefined): void {
  const stats = typeof parsed === 'object' && parsed !== null ? (parsed as { stats?: unknown }).stats : undefined;
  if (!Array.isArray(stats)) return;
  for (const s of stats) {
    if (typeof s !== 'object' || s === null) continue;
    const { name, value } = s as { name?: unknown; value?: unknown };
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (typeof name === 'string' && Number.isFinite(n)) record(out, name, n, known);
  }
}

/**
 * The counters of CLUSTER_STAT_NAMES per cluster, from Envoy's `/stats` in text form (a string)
 * or JSON form (`/stats?format=json`, a string or already parsed). A stat the stats matcher does
 * not export stays null (unknown), never 0.
 */
export function parseClusterStats(payload: unknown, known?: ReadonlySet<string> | ReadonlyMap<string, unknown>): Map<string, ClusterCounters> {
  const out = new Map<string, MutableCounters>();
  if (typeof payload === 'string') {
    const trimmed = payload.trimStart();
    if (trimmed.startsWith('{')) parseJson(JSON.parse(trimmed), out, known);
    else parseText(payload, out, known);
  } else {
    parseJson(payload, out, known);
  }
  return out;
}
