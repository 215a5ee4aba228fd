import { CLUSTER_STATS, type EnvoyProxy } from './proxy';

/** Every stat of the proxy at `nowMs`, by name, in Envoy's sorted order. */
export function allStats(proxy: EnvoyProxy, nowMs: number): [string, number][] {
  const clusters = proxy.clusters();
  const out: [string, number][] = [
    ['cluster_manager.active_clusters', clusters.length],
    ['cluster_manager.cluster_added', clusters.length],
    ['listener_manager.total_listeners_active', 6],
    ['server.live', 1],
    ['server.state', 0],
    ['server.uptime', Math.max(0, Math.floor((nowMs - proxy.startedMs) / 1000))],
  ];
  for (const c of clusters) {
    const stats = proxy.clusterStats(c, nowMs);
    for (const name of CLUSTER_STATS) out.push([`cluster.${c.name}.${name}`, stats[name]]);
    for (const [name, value] of proxy.extraClusterStats(c, nowMs)) out.push([`cluster.${c.name}.${name}`, value]);
  }
  // Envoy never creates a stat its stats_matcher excludes: it is absent, not zero.
  return out.filter(([name]) => proxy.statIncluded(name)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export type StatsResult = { ok: true; contentType: string; body: string } | { ok: false; message: string };

/** `/stats` with `filter=REGEX`, `usedonly` and `format=json`, as Envoy answers them. */
export function renderStats(proxy: EnvoyProxy, query: URLSearchParams, nowMs: number): StatsResult {
  let stats = allStats(proxy, nowMs);
  const filter = query.get('filter');
  if (filter) {
    let re: RegExp;
    try {
      re = new RegExp(filter);
    } catch (err) {
      return { ok: false, message: `Invalid re2 regex: ${(err as Error).message}\n` };
    }
    stats = stats.filter(([name]) => re.test(name));
  }
  if (query.has('usedonly')) stats = stats.filter(([, v]) => v !== 0);
  if (query.get('format') === 'json') {
    return { ok: true, contentType: 'application/json', body: JSON.stringify({ stats: stats.map(([name, value]) => ({ name, value })) }) };
  }
  return { ok: true, contentType: 'text/plain; charset=UTF-8', body: stats.map(([n, v]) => `${n}: ${v}\n`).join('') };
}

/** A Prometheus metric name: Envoy's `envoy_` prefix, every character outside [a-zA-Z0-9_] as `_`. */
function prometheusName(statName: string): string {
  return `envoy_${statName.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/**
 * `/stats/prometheus`: the same stats in Prometheus text format, one `# TYPE` per metric. Cluster
 * stats carry the cluster as the `cluster_name` tag (Istio's bootstrap stats_tags
 * `^cluster(\\.(.+);)` and Envoy's built-in cluster_name tag); counters and gauges are not told
 * apart here (all `counter`).
 */
export function renderPrometheus(proxy: EnvoyProxy, nowMs: number): string {
  const metrics = new Map<string, string[]>();
  for (const [name, value] of allStats(proxy, nowMs)) {
    const cluster = /^cluster\.(.+)\.([a-z_]+)$/.exec(name);
    const metric = cluster ? prometheusName(`cluster.${cluster[2]}`) : prometheusName(name);
    const sample = `${metric}${cluster ? `{cluster_name="${cluster[1]}"}` : ''} ${value}`;
    const samples = metrics.get(metric);
    if (samples) samples.push(sample);
    else metrics.set(metric, [sample]);
  }
  return [...metrics].map(([metric, samples]) => `# TYPE ${metric} counter\n${samples.join('\n')}\n`).join('');
}
