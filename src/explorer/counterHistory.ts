import { type ClusterObservation, type ClusterRates, type ClusterTotals, clusterRates, clusterTotals } from '../core/envoy/clusterVerdict';
import { MIN_RATE_WINDOW_MS } from '../core/envoy/counterRates';

/** A pod's reading, keeping only clusters that counted a failure (and BlackHoleCluster's traffic): the rest are zeros. */
interface StoredReading {
  readonly atMs: number;
  readonly totals: ReadonlyMap<string, ClusterTotals>;
}

interface PodReadings {
  earlier: StoredReading | null;
  latest: StoredReading;
}

/** Readings older than this are not a rate "over the last minutes". */
export const RATE_WINDOW_MS = 10 * 60_000;

function worthKeeping(name: string, t: ClusterTotals): boolean {
  return name === 'BlackHoleCluster' || (t.connectTimeouts ?? 0) > 0 || (t.connectFailures ?? 0) > 0 || (t.remoteResets ?? 0) > 0 || (t.pendingOverflows ?? 0) > 0 || (t.tlsErrors ?? 0) > 0;
}

/** What a cluster that counted no failure had: zero failures, traffic unknown. */
const QUIET: ClusterTotals = { connectTimeouts: 0, connectFailures: 0, connections: null, remoteResets: 0, pendingOverflows: 0, tlsErrors: 0 };

/**
 * Two readings per pod (the background scan's and each expansion's), so counters can be shown as
 * rates over the last minutes instead of totals since the sidecar started. Kept small: a reading
 * stores only the clusters that counted something.
 */
export class CounterHistory {
  private readonly pods = new Map<string, PodReadings>();

  /** Records a reading of the pod's clusters and returns each cluster's rates against the earlier one (null without one). */
  record(podKey: string, atMs: number, clusters: readonly ClusterObservation[]): Map<string, ClusterRates | null> {
    const totals = new Map<string, ClusterTotals>();
    const rates = new Map<string, ClusterRates | null>();
    const previous = this.pods.get(podKey);
    // Two readings closer than the minimum window: compare with the one before instead.
    const base = previous && atMs - previous.latest.atMs >= MIN_RATE_WINDOW_MS ? previous.latest : previous?.earlier ?? null;
    const usable = base && atMs - base.atMs <= RATE_WINDOW_MS ? base : null;
    for (const c of clusters) {
      const t = clusterTotals(c);
      if (worthKeeping(c.name, t)) totals.set(c.name, t);
      rates.set(c.name, usable ? clusterRates({ atMs: usable.atMs, totals: usable.totals.get(c.name) ?? QUIET }, { atMs, totals: t }) : null);
    }
    const reading = { atMs, totals };
    this.pods.set(podKey, { earlier: usable, latest: reading });
    return rates;
  }

  forget(podKey: string): void {
    this.pods.delete(podKey);
  }

  clear(): void {
    this.pods.clear();
  }
}
