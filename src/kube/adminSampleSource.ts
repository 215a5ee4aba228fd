import { type ClusterSample, type ClusterSampleSource, SAMPLE_REQUESTS, sampleObservations, statsHaveConnectFailures } from '../core/envoy/clusterSample';
import type { EnvoyAdminClient, PodRef } from './types';

/**
 * Badge samples from a pod's Envoy admin API: two requests, three when the stats matcher does not
 * export connect failures (then `/clusters`' per-host counters stand in). Cancelled by `signal`.
 */
export function adminSampleSource(adminFor: (pod: PodRef) => EnvoyAdminClient, now: () => number = Date.now): ClusterSampleSource {
  return {
    async sample(pod: PodRef, signal: AbortSignal): Promise<ClusterSample> {
      const admin = adminFor(pod);
      const get = (path: string) => admin.request(pod, 'GET', path, signal);
      const [stats, settings] = await Promise.all([get(SAMPLE_REQUESTS.stats), get(SAMPLE_REQUESTS.clusterSettings)]);
      const atMs = now();
      const fromStats = sampleObservations(stats, settings, null);
      if (statsHaveConnectFailures(fromStats)) return { atMs, clusters: fromStats, requests: 2 };
      const hosts = await get(SAMPLE_REQUESTS.hostCounters);
      return { atMs, clusters: sampleObservations(stats, settings, hosts), requests: 3 };
    },
  };
}
