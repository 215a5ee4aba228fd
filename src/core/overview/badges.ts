import type { ResetCause } from '../correlate/types';
import type { ClusterObservation } from '../envoy/clusterVerdict';
import { CLUSTER_STAT_NAMES, unknownCounters } from '../envoy/stats';
import type { ClusterCounters } from '../envoy/types';
import { causeOfResponseFlag } from '../logs/failureText';
import { FAILED_SOURCE_TRAFFIC } from './queries';
import { outboundClusterHost } from './rank';
import type { PromSample } from './types';

/**
 * The tree's badges from Prometheus: three instant queries for the whole mesh (the scraped pods,
 * the Envoy cluster counters that prove a cause, the failed traffic by response flag), turned into
 * each pod's cluster observations, the same input the per-pod admin path gives the verdict. The
 * values are the counters' totals, not rates: the badge scan's counter history takes the rates
 * between two readings, exactly as it does for the admin path.
 */

type CounterField = keyof ClusterCounters;

/** Cluster counters that count a cause; only series above zero are asked for, so a large mesh answers little. */
const CAUSE_FIELDS = ['connectTimeouts', 'connectFailures', 'remoteResetsWithActiveRequests', 'pendingOverflows', 'ejectionsActive', 'tlsConnectionErrors'] as const satisfies readonly CounterField[];

/** Envoy's Prometheus name of a cluster stat (`cluster.<name>.ssl.connection_error` → `envoy_cluster_ssl_connection_error{cluster_name=…}`). */
export function envoyClusterMetric(field: CounterField): string {
  return `envoy_cluster_${CLUSTER_STAT_NAMES[field].replace(/\./g, '_')}`;
}

const OUTBOUND = 'cluster_name=~"outbound\\\\|.*"';
const BLACK_HOLE = 'BlackHoleCluster';

/** What a response flag's cause counts as among a cluster's counters; causes without one are not badged (the overview lists them). */
const FLAG_COUNTER: Partial<Record<ResetCause, CounterField>> = {
  'upstream-connect-failure': 'connectFailures',
  'circuit-breaker': 'pendingOverflows',
  'upstream-reset': 'remoteResetsWithActiveRequests',
  'tls-failure': 'tlsConnectionErrors',
  'no-route': 'connections',
};

export interface BadgeQueries {
  /** The pods Prometheus scrapes successfully now: the others are read from their Envoy. */
  readonly scraped: string;
  /** Each pod's cluster counters that prove a cause (each named by a `stat` label). */
  readonly clusterStats: string;
  /** Each pod's failed requests and connections by destination and response flags (Istio's standard metrics). */
  readonly flags: string;
}

/** The badge queries, each bounded by `topk(limit)`. */
export function badgeQueries(limit: number): BadgeQueries {
  const stat = (field: CounterField, expr: string) => `label_replace(${expr}, "stat", "${field}", "", "")`;
  const branches = [
    ...CAUSE_FIELDS.map((f) => stat(f, `${envoyClusterMetric(f)}{${OUTBOUND}} > 0`)),
    stat('connections', `${envoyClusterMetric('connections')}{cluster_name="${BLACK_HOLE}"} > 0`),
    // Zero healthy hosts of a cluster that has some: the membership total, where healthy is 0.
    stat('membershipTotal', `(${envoyClusterMetric('membershipTotal')}{${OUTBOUND}} > 0) and on (namespace, pod, cluster_name) (${envoyClusterMetric('membershipHealthy')}{${OUTBOUND}} == 0)`),
  ];
  return {
    scraped: 'group by (namespace, pod) (up{namespace!="",pod!=""} == 1)',
    clusterStats: `topk(${limit}, ${branches.join(' or ')})`,
    flags: `topk(${limit}, sum by (namespace, pod, destination_service, response_flags) (${FAILED_SOURCE_TRAFFIC}))`,
  };
}

export interface BadgeAnswers {
  readonly scraped: readonly PromSample[];
  readonly clusterStats: readonly PromSample[];
  readonly flags: readonly PromSample[];
}

/** `namespace/pod`, the key of a pod in the badge answers. */
export function scrapedPodKey(namespace: string, pod: string): string {
  return `${namespace}/${pod}`;
}

type MutableCounters = { -readonly [K in CounterField]: number | null };

function observation(name: string, counters: ClusterCounters): ClusterObservation {
  // Prometheus has no cluster settings: the connect timeout is unknown, never taken as low.
  return { name, isStatic: false, connectTimeoutSeconds: null, connectTimeoutDefaulted: false, counters, hostCounters: null };
}

function isCounterField(v: string): v is CounterField {
  return Object.prototype.hasOwnProperty.call(CLUSTER_STAT_NAMES, v);
}

/**
 * Each scraped pod's observations (`namespace/pod` → clusters; a scraped pod without failures has
 * none). An upstream the pod's Envoy cluster stats cover is judged by them (connect timeouts tell
 * a `UF` apart); one they do not cover gets an observation named by Istio's destination_service,
 * with each flag's failures counted where its cause's counter would be.
 */
export function badgeObservations(answers: BadgeAnswers): Map<string, ClusterObservation[]> {
  const pods = new Map<string, Map<string, MutableCounters>>();
  for (const s of answers.scraped) {
    const { namespace, pod } = s.metric;
    if (namespace && pod) pods.set(scrapedPodKey(namespace, pod), new Map());
  }
  const countersOf = (key: string, cluster: string): MutableCounters | null => {
    const clusters = pods.get(key);
    if (!clusters) return null;
    let c = clusters.get(cluster);
    if (!c) clusters.set(cluster, (c = unknownCounters() as MutableCounters));
    return c;
  };
  const covered = new Set<string>();
  for (const s of answers.clusterStats) {
    const { namespace, pod, cluster_name: cluster, stat } = s.metric;
    if (!namespace || !pod || !cluster || !stat || !isCounterField(stat) || !Number.isFinite(s.value)) continue;
    const key = scrapedPodKey(namespace, pod);
    const c = countersOf(key, cluster);
    if (!c) continue;
    c[stat] = s.value;
    if (stat === 'membershipTotal') c.membershipHealthy = 0;
    const host = outboundClusterHost(cluster);
    if (host) covered.add(JSON.stringify([key, host]));
  }
  for (const s of answers.flags) {
    const { namespace, pod, destination_service: destination, response_flags: flags } = s.metric;
    if (!namespace || !pod || !destination || !flags || !Number.isFinite(s.value) || s.value <= 0) continue;
    const key = scrapedPodKey(namespace, pod);
    if (covered.has(JSON.stringify([key, destination]))) continue;
    // `UF,URX` is one failure: each counter it points at counts it once.
    const fields = new Set<CounterField>();
    for (const flag of flags.split(',')) {
      const cause = causeOfResponseFlag(flag);
      const field = cause ? FLAG_COUNTER[cause] : undefined;
      if (field) fields.add(field);
    }
    for (const field of fields) {
      const c = countersOf(key, field === 'connections' ? BLACK_HOLE : destination);
      if (c) c[field] = (c[field] ?? 0) + s.value;
    }
  }
  const out = new Map<string, ClusterObservation[]>();
  for (const [key, clusters] of pods) out.set(key, [...clusters].map(([name, counters]) => observation(name, counters)));
  return out;
}
