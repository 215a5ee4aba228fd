/**
 * What a diagnosis reads and what it concludes. The evidence is gathered in src/kube
 * (diagnoseEvidence.ts); everything here is pure data, so the ranking runs and is tested without
 * a cluster, and the CLI and the editor render the same result.
 */

import type { CauseFix, ResetCause } from '../correlate/types';

/** One `/clusters?format=json` and one `/stats?format=json` answer, taken together. */
export interface StatsSample {
  /** When the sample was taken, epoch milliseconds. */
  readonly atMs: number;
  readonly clusters: string;
  readonly stats: string;
}

export interface ContainerLogText {
  readonly container: string;
  /** How evidence names this log: `NAMESPACE/POD/CONTAINER`. */
  readonly file: string;
  /** The lines as fetched, kubelet timestamps first (untrusted). */
  readonly lines: readonly string[];
}

/** Everything read from one pod. */
export interface PodEvidence {
  /** `namespace/name`. */
  readonly pod: string;
  /** `/config_dump?resource=dynamic_active_clusters` and `static_clusters`. */
  readonly configDumps: readonly string[];
  /** Two samples, the second `window.sampleSeconds` after the first. */
  readonly samples: readonly [StatsSample, StatsSample];
  readonly logs: readonly ContainerLogText[];
  /** Envoy debug logging was raised while the logs were written (and restored since). */
  readonly debugRaised: boolean;
}

export interface DiagnoseWindow {
  /** RFC 3339: the start of the logs read. */
  readonly from: string;
  /** RFC 3339: when the last sample was taken. */
  readonly to: string;
  readonly minutes: number;
  readonly sampleSeconds: number;
  readonly debugMinutes: number;
}

export interface DiagnoseEvidence {
  /** `pod NS/POD` or `deployment NS/NAME`, as the user named it. */
  readonly target: string;
  readonly window: DiagnoseWindow;
  readonly pods: readonly PodEvidence[];
  /** Requests made to the cluster (API server and Envoy admin). */
  readonly requests: number;
  /** What could not be read, said once each (a pod without sidecar, a failed log read). */
  readonly notes: readonly string[];
}

/** One piece of evidence behind a cause. Text fields come from the cluster: untrusted. */
export type EvidenceItem =
  | {
      readonly kind: 'counter';
      readonly pod: string;
      readonly cluster: string;
      /** Envoy's stat name, or `cx_connect_fail (hosts)` for the summed per-host counter. */
      readonly counter: string;
      readonly before: number;
      readonly after: number;
      /** Change per minute between the two samples. */
      readonly perMinute: number;
    }
  | { readonly kind: 'config'; readonly pod: string; readonly cluster: string; readonly field: string; readonly value: string }
  | { readonly kind: 'log'; readonly pod: string; readonly file: string; readonly line: number; readonly time: string | null; readonly text: string };

/** Where a workspace manifest sets the value behind a cause. */
export interface ManifestSite {
  /** Path relative to the workspace. */
  readonly file: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** `DestinationRule shop/idp`, `mesh config`. */
  readonly resource: string;
  /** The setting's path in the resource, e.g. `trafficPolicy.connectionPool.tcp.connectTimeout`. */
  readonly field: string;
  /** The value as written, e.g. `1s`. */
  readonly value: string;
}

/** A cause as one live check or the correlator saw it on one pod. */
export interface CauseFinding {
  readonly cause: Exclude<ResetCause, 'unexplained'>;
  readonly confidence: number;
  readonly pod: string;
  readonly cluster: string | null;
  readonly summary: string;
  readonly evidence: readonly EvidenceItem[];
}

export interface RankedCause {
  readonly cause: Exclude<ResetCause, 'unexplained'>;
  /** 0 to 1. */
  readonly confidence: number;
  readonly clusters: readonly string[];
  readonly pods: readonly string[];
  /** One line per finding behind it (untrusted text inside). */
  readonly summary: readonly string[];
  readonly evidence: readonly EvidenceItem[];
  /** The Istio setting that governs it (CAUSE_FIXES). */
  readonly setting: string;
  readonly manifest: readonly ManifestSite[];
  readonly fix: CauseFix;
}

export interface Diagnosis {
  readonly target: string;
  readonly window: DiagnoseWindow;
  /** First to last. */
  readonly causes: readonly RankedCause[];
  readonly requests: number;
  /** App resets the logs hold that no cause explains. */
  readonly unexplainedResets: number;
  /**
   * App resets no Envoy log line ties one by one: the unexplained ones and those a rising counter
   * explains only loosely. Envoy debug logging (a debug window) can tie them.
   */
  readonly untiedResets: number;
  readonly notes: readonly string[];
}

/** One affected cluster on one pod, as Verify Fix last saw it (src/kube/verifyFix.ts). */
export interface ClusterVerification {
  readonly pod: string;
  readonly cluster: string;
  /** The connect timeout first seen, and now. */
  readonly before: string;
  readonly after: string;
  readonly fixed: boolean;
  /** Connect failures since the fixed value was seen (0 when they stayed flat). */
  readonly failuresSinceFix: number;
  /** Seconds the counters have been flat with the fixed value. */
  readonly flatSeconds: number;
}

export interface VerifyResult {
  readonly verified: boolean;
  /** Seconds from start until verified, or until giving up. */
  readonly tookSeconds: number;
  readonly checks: readonly ClusterVerification[];
  /** What still fails, one line each (empty when verified). */
  readonly stillFailing: readonly string[];
  readonly requests: number;
}
