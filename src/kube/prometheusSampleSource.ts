import type { ClusterSample, ClusterSampleSource } from '../core/envoy/clusterSample';
import type { ClusterObservation } from '../core/envoy/clusterVerdict';
import { badgeObservations, badgeQueries, scrapedPodKey } from '../core/overview/badges';
import { isAbortError } from './cancellation';
import { PrometheusError, type PrometheusClient } from './prometheus';
import type { PodRef } from './types';

export interface PrometheusSampleOptions {
  /** One reading of the whole mesh answers every pod sampled within this long. */
  readonly freshMs: number;
  /** After Prometheus failed, the pods are read from their Envoy for this long before it is asked again. */
  readonly retryMs: number;
  /** At most this many series per query (topk). */
  readonly limit: number;
  readonly log: { info(message: string): void; warn(message: string): void };
  readonly now?: () => number;
}

export const DEFAULT_PROMETHEUS_SAMPLES = { freshMs: 10_000, retryMs: 60_000, limit: 20_000 } as const;

/** The badge queries sent for one reading of the whole mesh. */
export const BADGE_QUERY_COUNT = 3;

/** One reading of a context, with the requests it sent (`charged` once the scan was told them). */
type Reading = { readonly atMs: number; readonly requests: number; charged: boolean } & (
  | { readonly kind: 'read'; readonly endpoint: string; readonly pods: ReadonlyMap<string, ClusterObservation[]> }
  | { readonly kind: 'failed'; readonly message: string }
);

interface Held {
  readonly reading: Promise<Reading>;
  settled: Reading | null;
}

export interface PrometheusSampleSource extends ClusterSampleSource {
  /** The Prometheus settings changed: the next sample asks again. */
  reset(): void;
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || isAbortError(err) || (err instanceof PrometheusError && err.kind === 'aborted');
}

/**
 * Badge samples from Prometheus: one reading of the whole mesh per context (BADGE_QUERY_COUNT
 * queries, sent together) answers every pod sampled while it is fresh, instead of a visit per pod.
 * A pod Prometheus does not scrape, and every pod while Prometheus cannot be reached (asked again
 * after `retryMs`), is read by `fallback` (its Envoy admin API). A reading's requests (failed
 * ones too) are reported with the first pod it answers.
 */
export function prometheusSampleSource(prometheusFor: (context: string) => Promise<PrometheusClient>, fallback: ClusterSampleSource, options: PrometheusSampleOptions): PrometheusSampleSource {
  const now = options.now ?? Date.now;
  const readings = new Map<string, Held>();
  /** What the log last said per context, so a source change is told once. */
  const told = new Map<string, string>();
  let generation = 0;

  function tell(context: string, reading: Reading): void {
    const said = reading.kind === 'read' ? `read:${reading.endpoint}` : `failed:${reading.message}`;
    if (told.get(context) === said) return;
    told.set(context, said);
    if (reading.kind === 'read') options.log.info(`Mesh explorer: badges of ${context} from Prometheus at ${reading.endpoint} (${BADGE_QUERY_COUNT} queries for the whole mesh; pods it does not scrape are read from their Envoy)`);
    else options.log.warn(`Mesh explorer: no Prometheus for the badges of ${context} (${reading.message}); each pod's Envoy is read instead`);
  }

  async function read(context: string, signal: AbortSignal): Promise<Reading> {
    const atMs = now();
    let client: PrometheusClient | null = null;
    let before = 0;
    const sent = () => (client ? client.requestCount - before : 0);
    try {
      client = await prometheusFor(context);
      before = client.requestCount;
      const q = badgeQueries(options.limit);
      const at = { atSeconds: atMs / 1000, signal };
      const [scraped, clusterStats, flags] = await Promise.all([client.query(q.scraped, at), client.query(q.clusterStats, at), client.query(q.flags, at)]);
      for (const w of new Set([...scraped.warnings, ...clusterStats.warnings, ...flags.warnings])) options.log.warn(`Mesh explorer: Prometheus warns about the badge queries (the badges may be partial): ${w}`);
      return { kind: 'read', atMs, requests: sent(), charged: false, endpoint: client.endpoint, pods: badgeObservations({ scraped: scraped.data, clusterStats: clusterStats.data, flags: flags.data }) };
    } catch (err) {
      if (isAbort(err, signal)) throw err;
      return { kind: 'failed', atMs, requests: sent(), charged: false, message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The context's reading: the one in flight or still fresh, else a new one (shared by every pod asking meanwhile). */
  function readingFor(context: string, signal: AbortSignal): Promise<Reading> {
    const held = readings.get(context);
    if (held && (held.settled === null || now() - held.settled.atMs < (held.settled.kind === 'read' ? options.freshMs : options.retryMs))) return held.reading;
    const mine = generation;
    const entry: Held = {
      settled: null,
      reading: read(context, signal).then((r) => {
        entry.settled = r;
        if (mine === generation) tell(context, r);
        return r;
      }),
    };
    readings.set(context, entry);
    // An aborted reading (the view was hidden) is forgotten, so the next pass asks again.
    entry.reading.catch(() => readings.get(context) === entry && readings.delete(context));
    return entry.reading;
  }

  return {
    async sample(pod: PodRef, signal: AbortSignal): Promise<ClusterSample> {
      const reading = await readingFor(pod.context, signal);
      const requests = reading.charged ? 0 : reading.requests;
      reading.charged = true;
      const clusters = reading.kind === 'read' ? reading.pods.get(scrapedPodKey(pod.namespace, pod.name)) : undefined;
      if (clusters) return { atMs: reading.atMs, clusters, requests };
      const fromEnvoy = await fallback.sample(pod, signal);
      return { ...fromEnvoy, requests: fromEnvoy.requests + requests };
    },
    reset() {
      generation++;
      readings.clear();
      told.clear();
    },
  };
}
