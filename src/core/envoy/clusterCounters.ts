/**
 * Envoy's per-cluster stats that prove a cause, read from `/stats?format=json`: the counters and
 * gauges behind each live check of a diagnosis (connect failures, pending overflow, outlier
 * ejections, TLS errors, remote resets with active requests, membership).
 */

/** The stats a diagnosis samples, by their name after `cluster.<name>.`. */
export const CAUSE_STATS = [
  'upstream_cx_connect_timeout',
  'upstream_cx_connect_fail',
  'upstream_cx_total',
  'upstream_rq_total',
  'upstream_rq_pending_overflow',
  'upstream_cx_destroy_remote_with_active_rq',
  'outlier_detection.ejections_active',
  'ssl.connection_error',
  'membership_healthy',
  'membership_total',
] as const;
export type CauseStat = (typeof CAUSE_STATS)[number];

/** The `/stats` filter (a regex Envoy matches against each stat name) that keeps only CAUSE_STATS. */
export const CAUSE_STATS_FILTER = `^cluster\\..*\\.(${CAUSE_STATS.map((s) => s.replace(/\./g, '\\.')).join('|')})$`;

export type ClusterCounters = Partial<Record<CauseStat, number>>;

const PREFIX = 'cluster.';

/** The stat a name ends with, longest first, so `ssl.connection_error` wins over a shorter suffix. */
const BY_LENGTH = [...CAUSE_STATS].sort((a, b) => b.length - a.length);

function split(statName: string): { cluster: string; stat: CauseStat } | null {
  if (!statName.startsWith(PREFIX)) return null;
  for (const stat of BY_LENGTH) {
    if (statName.length > PREFIX.length + stat.length + 1 && statName.endsWith(`.${stat}`)) {
      return { cluster: statName.slice(PREFIX.length, statName.length - stat.length - 1), stat };
    }
  }
  return null;
}

/**
 * CAUSE_STATS per cluster from `/stats?format=json` (`{stats: [{name, value}]}`, values numbers or
 * strings). Cluster names hold dots and pipes, so names are split by the known stat suffix, not on
 * dots. A stat the stats matcher drops is absent (unknown), never zero.
 */
export function parseClusterCounters(payload: string): Map<string, ClusterCounters> {
  const out = new Map<string, ClusterCounters>();
  const parsed: unknown = JSON.parse(payload);
  const stats = typeof parsed === 'object' && parsed !== null ? (parsed as { stats?: unknown }).stats : undefined;
  if (!Array.isArray(stats)) return out;
  for (const s of stats) {
    if (typeof s !== 'object' || s === null) continue;
    const { name, value } = s as { name?: unknown; value?: unknown };
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (typeof name !== 'string' || !Number.isFinite(n)) continue;
    const id = split(name);
    if (!id) continue;
    let counters = out.get(id.cluster);
    if (!counters) out.set(id.cluster, (counters = {}));
    counters[id.stat] = n;
  }
  return out;
}
