import { IdentityCallSchedule, callsStarted, callsTimedOut } from '../logs/identityCalls';
import { SidecarSpec } from '../model/types';
import { EnvoyCluster, IDENTITY_CLUSTER, buildClusters } from './clusters';
import { IstioVersion, parseIstioVersion } from './istioVersion';
import { EnvoyLogLevel, envoyLoggerNames } from './loggers';
import { stableNumber } from '../model/ids';

/** Identity of the pod an Envoy runs in, as its bootstrap node and addresses show it. */
export interface ProxyPod {
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
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
  readonly levels = new Map<string, EnvoyLogLevel>();
  private clusterList: EnvoyCluster[] | null = null;
  readonly startedMs: number;

  constructor(
    readonly pod: ProxyPod,
    readonly spec: SidecarSpec,
    /** The failing identity calls, or null for a healthy proxy. */
    readonly schedule: IdentityCallSchedule | null,
    startedMs: number,
  ) {
    this.version = parseIstioVersion(spec.istioVersion);
    this.startedMs = startedMs;
    // Istio starts Envoy at `warning` for every logger (proxyLogLevel default).
    for (const name of envoyLoggerNames()) this.levels.set(name, 'warning');
  }

  get key(): string {
    return `${this.pod.namespace}/${this.pod.name}`;
  }

  clusters(): EnvoyCluster[] {
    this.clusterList ??= buildClusters(
      this.key,
      this.spec.identityConnectTimeout ?? '10s',
      this.spec.extraClusters ?? 0,
      new Date(this.startedMs).toISOString(),
    );
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
    return stats;
  }
}
