import { overviewQueries } from '../core/overview/queries';
import { rankOverview } from '../core/overview/rank';
import type { OverviewRow } from '../core/overview/types';
import type { PrometheusClient } from './prometheus';

export interface OverviewOptions {
  /** The window, in whole minutes. */
  readonly minutes: number;
  /** At most this many series per query (topk); default 200. */
  readonly limit?: number;
  /** The end of the window, unix seconds; default now. */
  readonly atSeconds?: number;
  readonly signal?: AbortSignal;
  /** Called as each query completes (progress for the view). */
  onProgress?(done: number, total: number): void;
}

export interface MeshOverview {
  readonly rows: OverviewRow[];
  /** Prometheus's warnings (partial results, dropped series), each once. */
  readonly warnings: readonly string[];
  readonly endpoint: string;
  readonly minutes: number;
  readonly atSeconds: number;
}

export const DEFAULT_OVERVIEW_LIMIT = 200;

/**
 * The mesh overview from Prometheus: three queries for the whole mesh (failures by flag, Envoy
 * cluster stats, the trend), sent together, ranked by the pure core.
 */
export async function fetchMeshOverview(client: PrometheusClient, options: OverviewOptions): Promise<MeshOverview> {
  const q = overviewQueries({ minutes: options.minutes, limit: options.limit ?? DEFAULT_OVERVIEW_LIMIT });
  const at = options.atSeconds ?? Math.floor(Date.now() / 1000);
  let done = 0;
  const progress = <T>(p: Promise<T>): Promise<T> =>
    p.then((v) => {
      options.onProgress?.(++done, 3);
      return v;
    });
  const [failures, clusterStats, trend] = await Promise.all([
    progress(client.query(q.failures, { atSeconds: at, signal: options.signal })),
    progress(client.query(q.clusterStats, { atSeconds: at, signal: options.signal })),
    progress(client.queryRange(q.trend, { startSeconds: at - options.minutes * 60, endSeconds: at, stepSeconds: q.trendStepSeconds }, options.signal)),
  ]);
  return {
    rows: rankOverview({ failures: failures.data, clusterStats: clusterStats.data, trend: trend.data }),
    warnings: [...new Set([...failures.warnings, ...clusterStats.warnings, ...trend.warnings])],
    endpoint: client.endpoint,
    minutes: options.minutes,
    atSeconds: at,
  };
}
