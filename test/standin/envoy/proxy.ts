import { type IdentityCallSchedule, callsStarted, callsTimedOut } from '../logs/identityCalls';
import { type MeshConfig, meshConfigFor, podStatsMatcher } from '../model/meshConfig';
import { type SidecarSpec } from '../model/types';
import { causeSchedule, causeTarget } from '../logs/causeCalls';
import { causeCluster, causeClusterStats } from './causeClusters';
import { type EnvoyCluster, IDENTITY_CLUSTER, buildClusters } from './clusters';
import { type IstioVersion, envoyMinorFor, parseIstioVersion } from './istioVersion';
import { type EnvoyLogLevel, envoyLoggerNames, isEnvoyLogLevel } from './loggers';
import { statsInclusion } from './statsMatcher';
import { stableNumber } from '../model/ids';

/** Identity of the pod an Envoy runs in, as its bootstrap node and addresses show it. */
export interface ProxyPod {
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
  /** The pod's annotations when the proxy started (Istio reads `proxy.istio.io/config` then). */
  readonly annotations?: Readonly<Record<string, string>>;
  /** The `app` label, for the inbound clusters' service name. */
  readonly app?: string;
  /** The app containers' ports: one `inbound|PORT||` cluster each. */
  readonly ports?: readonly number[];
}

/** Istio's injector defaults: `--proxyLogLevel=warning --proxyComponentLogLevel=misc:error`. */
export const INJECTOR_PROXY_LOG_LEVEL = 'warning';
export const INJECTOR_COMPONENT_LOG_LEVEL = 'misc:error';

/** Envoy's levels at start from `--log-level` and `--component-log-level name:level,...`. */
export function startingLevels(proxyLogLevel: string, componentLogLevel: string): Map<string, EnvoyLogLevel> {
  const base = isEnvoyLogLevel(proxyLogLevel) ? proxyLogLevel : 'warning';
  const levels = new Map<string, EnvoyLogLevel>();
  for (const name of envoyLoggerNames()) levels.set(name, base);
  for (const pair of componentLogLevel.split(',')) {
    const [name, level = ''] = pair.split(':');
    if (levels.has(name) && isEnvoyLogLevel(level)) levels.set(name, level);
  }
  return levels;
}

/** Envoy's cluster counters and gauges the emulation reports, in Envoy's stat names. */
export const CLUSTER_STATS = [
  'upstream_cx_active',
  'upstream_cx_connect_fail',
  'upstream_cx_connect_timeout',
  'upstream_cx_destroy',
  'upstream_cx_total',
  'upstream_rq_active',
  'upstream_rq_pending_overflow',
  'upstream_rq_timeout',
  'upstream_rq_total',
  'membership_healthy',
  'membership_total',
] as const;
export type ClusterStatName = (typeof CLUSTER_STATS)[number];

/**
 * One sidecar's Envoy: real per-pod state (log levels change and stay changed) and clusters and
 * counters derived from the pod and the virtual clock. Clusters are built on first use so that
 * 10,000 idle pods cost nothing.
 */
export class EnvoyProxy {
  readonly version: IstioVersion;
  /** Envoy's minor release in this Istio release (decides /logging's behaviour and texts). */
  readonly envoyMinor: number;
  readonly levels: Map<string, EnvoyLogLevel>;
  private clusterList: EnvoyCluster[] | null = null;
  readonly startedMs: number;
  /** Whether a stat exists: the bootstrap's stats_matcher plus mesh and pod proxyStatsMatcher. */
  readonly statIncluded: (name: string) => boolean;

  constructor(
    readonly pod: ProxyPod,
    readonly spec: SidecarSpec,
    /** The failing identity calls, or null for a healthy proxy. */
    readonly schedule: IdentityCallSchedule | null,
    startedMs: number,
    readonly mesh: MeshConfig = meshConfigFor('default'),
  ) {
    this.version = parseIstioVersion(spec.istioVersion);
    this.envoyMinor = envoyMinorFor(this.version);
    this.startedMs = startedMs;
    this.levels = startingLevels(spec.proxyLogLevel ?? INJECTOR_PROXY_LOG_LEVEL, spec.componentLogLevel ?? INJECTOR_COMPONENT_LOG_LEVEL);
    this.statIncluded = statsInclusion([mesh.proxyStatsMatcher, podStatsMatcher(pod.annotations ?? {})]);
  }

  get key(): string {
    return `${this.pod.namespace}/${this.pod.name}`;
  }

  /** istiod pushed a new identity cluster (a DestinationRule or mesh config change) at `atMs`. */
  setIdentityConnectTimeout(value: string, atMs: number): void {
    const list = this.clusters();
    const i = list.findIndex((c) => c.name === IDENTITY_CLUSTER);
    if (i >= 0) list[i] = { ...list[i], config: { ...list[i].config, connect_timeout: value }, lastUpdated: new Date(atMs).toISOString() };
  }

  clusters(): EnvoyCluster[] {
    this.clusterList ??= buildClusters(
      { key: this.key, namespace: this.pod.namespace, ip: this.pod.ip, app: this.pod.app ?? this.pod.name, ports: this.pod.ports ?? [] },
      this.spec.identityConnectTimeout ?? '10s',
      this.spec.extraClusters ?? 0,
      new Date(this.startedMs).toISOString(),
    );
    const cause = this.spec.cause ? causeCluster(this.spec.cause, new Date(this.startedMs).toISOString()) : null;
    if (cause && !this.clusterList.some((c) => c.name === cause.name)) this.clusterList.push(cause);
    return this.clusterList;
  }

  /**
   * A cluster's stats at `nowMs`. Quiet clusters show a steady, pod-specific history; the
   * identity cluster of an incident pod gains a connect timeout (and fail) per failed call.
   */
  clusterStats(cluster: EnvoyCluster, nowMs: number): Record<ClusterStatName, number> {
    const base = stableNumber(`${this.key}/${cluster.name}`, 5000);
    const stats: Record<ClusterStatName, number> = {
      upstream_cx_active: cluster.addedViaApi ? base % 4 : 1,
      upstream_cx_connect_fail: 0,
      upstream_cx_connect_timeout: 0,
      upstream_cx_destroy: base,
      upstream_cx_total: base + (cluster.addedViaApi ? base % 4 : 1),
      upstream_rq_active: 0,
      upstream_rq_pending_overflow: 0,
      upstream_rq_timeout: 0,
      upstream_rq_total: base * 3,
      membership_healthy: cluster.hosts.length,
      membership_total: cluster.hosts.length,
    };
    // Istio's no-route sink sees traffic only when a request matches no route; the scenarios have none.
    if (cluster.name === 'BlackHoleCluster') {
      stats.upstream_cx_active = 0;
      stats.upstream_cx_destroy = 0;
      stats.upstream_cx_total = 0;
      stats.upstream_rq_total = 0;
    }
    if (cluster.name === IDENTITY_CLUSTER && this.schedule) {
      const timedOut = this.schedule.priorTimeouts + callsTimedOut(this.schedule, nowMs);
      const started = this.schedule.priorTimeouts + callsStarted(this.schedule, nowMs);
      stats.upstream_cx_connect_timeout = timedOut;
      stats.upstream_cx_connect_fail = timedOut;
      stats.upstream_cx_total = started;
      stats.upstream_cx_destroy = timedOut;
      stats.upstream_cx_active = started - timedOut;
      stats.upstream_rq_total = 0;
    }
    for (const [name, value] of this.causeStats(cluster, nowMs)) if (name in stats) stats[name as ClusterStatName] = value;
    return stats;
  }

  /** The stats of a `causes`-scenario pod's destination cluster that the generic ones lack (`ssl.connection_error`, …). */
  extraClusterStats(cluster: EnvoyCluster, nowMs: number): [string, number][] {
    return this.causeStats(cluster, nowMs).filter(([name]) => !(CLUSTER_STATS as readonly string[]).includes(name));
  }

  private causeStats(cluster: EnvoyCluster, nowMs: number): [string, number][] {
    const cause = this.spec.cause;
    if (!cause || cluster.name !== causeTarget(cause).cluster) return [];
    return Object.entries(causeClusterStats(cause, causeSchedule(this.key, this.startedMs), nowMs));
  }
}
