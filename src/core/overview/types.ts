import type { ResetCause } from '../correlate/types';

/** One series of an instant query's vector: its labels and its value. */
export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One series of a range query's matrix: its labels and `[unix seconds, value]` points. */
export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

/** Envoy cluster stats of one source workload towards one upstream cluster, per second over the window. */
export interface OverviewClusterStats {
  readonly cluster: string;
  readonly connectTimeoutsPerSecond: number;
  readonly connectFailuresPerSecond: number;
  readonly pendingOverflowPerSecond: number;
  readonly ejectionsPerSecond: number;
}

/** One source workload → upstream with connection failures in the window. */
export interface OverviewRow {
  readonly sourceWorkload: string;
  readonly sourceNamespace: string;
  /** Istio's destination_service (a host such as `idp.example.com`), or the Envoy cluster's host. */
  readonly destination: string;
  /** Response flag → failed requests or connections per second carrying it. */
  readonly responseFlags: Readonly<Record<string, number>>;
  /** The flag with the highest rate among those that point at a cause; null when none does. */
  readonly dominantFlag: string | null;
  /** What the dominant flag (refined by the cluster stats) points to; null when nothing does. */
  readonly cause: ResetCause | null;
  /** Failed requests and connections per second. */
  readonly ratePerSecond: number;
  /** Envoy's cluster stats for this upstream, where proxyStatsMatcher exports them. */
  readonly clusters: readonly OverviewClusterStats[];
  /** The failure rate over the window, `[unix seconds, per second]`, for a sparkline. */
  readonly series: readonly (readonly [number, number])[];
}
