import type { ConnectCounters } from './types';

/** The Envoy admin `/stats` filter that keeps only the two counters the explorer shows. */
export const CONNECT_STATS_FILTER = 'upstream_cx_connect_timeout|upstream_cx_connect_fail';

const TIMEOUT_SUFFIX = '.upstream_cx_connect_timeout';
const FAIL_SUFFIX = '.upstream_cx_connect_fail';
const PREFIX = 'cluster.';

interface MutableCounters {
  connectTimeouts: number | null;
  connectFailures: number | null;
}

/**
 * Cluster names contain dots and pipes (`outbound|443||idp.example.com`), so a stat name
 * `cluster.<name>.<stat>` cannot be split on dots: strip the known prefix and the stat suffix
 * instead, and (when the caller knows the cluster names) keep only stats of known clusters.
 */
function record(out: Map<string, MutableCounters>, statName: string, value: number, known: ReadonlySet<string> | ReadonlyMap<string, unknown> | undefined): void {
  if (!statName.startsWith(PREFIX)) return;
  let field: keyof MutableCounters;
  let suffix: string;
  if (statName.endsWith(TIMEOUT_SUFFIX)) {
    field = 'connectTimeouts';
    suffix = TIMEOUT_SUFFIX;
  } else if (statName.endsWith(FAIL_SUFFIX)) {
    field = 'connectFailures';
    suffix = FAIL_SUFFIX;
  } else {
    return;
  }
  const cluster = statName.slice(PREFIX.length, statName.length - suffix.length);
  if (known && !known.has(cluster)) return;
  let counters = out.get(cluster);
  if (!counters) {
    counters = { connectTimeouts: null, connectFailures: null };
    out.set(cluster, counters);
  }
  counters[field] = value;
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
 * `upstream_cx_connect_timeout` and `upstream_cx_connect_fail` per cluster, from Envoy's `/stats`
 * in text form (a string) or JSON form (`/stats?format=json`, a string or already parsed).
 */
export function parseConnectStats(payload: unknown, known?: ReadonlySet<string> | ReadonlyMap<string, unknown>): Map<string, ConnectCounters> {
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
