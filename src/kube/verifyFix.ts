/**
 * Verifies a fix once the user has applied it to the cluster: watches the affected pods' live
 * cluster config until the governing value is no longer low (e.g. connect_timeout 1s -> 10s) on
 * every affected cluster, and their connect-failure counters then stay flat for a window. A pod
 * target is followed through its workload, so restarts and new replicas are checked too.
 */

import { formatDuration } from '../core/duration';
import { isLowConnectTimeout } from '../core/envoy/clusterRows';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { podLabel } from '../core/podAccess';
import { hasEnvoySidecar, SIDECAR_CONTAINER } from '../core/pods';
import { fetchClusterRows } from './envoyAdmin';
import type { DiagnoseTarget } from './diagnoseEvidence';
import { readPod, type RawPod } from './pods';
import { abortError, sleep } from './cancellation';
import type { ClusterAccess } from './transport';
import { findOwningWorkload, listWorkloadPods, podRefOf, type WorkloadRef } from './workloads';

export interface VerifyOptions {
  /** The affected clusters, e.g. `outbound|443||idp.example.com`. */
  readonly clusters: readonly string[];
  /** Connect timeouts below this still count as the problem. */
  readonly minimumSeconds: number;
  /** How long the failure counters must stay flat after the fixed value is seen. */
  readonly windowSeconds: number;
  /** Give up after this long. */
  readonly timeoutSeconds: number;
  /** Seconds between looks. */
  readonly intervalSeconds: number;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (status: string) => void;
}

export type { ClusterVerification, VerifyResult } from '../core/diagnose/types';
import type { ClusterVerification, VerifyResult } from '../core/diagnose/types';

/** What is known about one pod instance (a restarted Envoy or a new replica starts over). */
interface Track {
  before: string;
  fixedAtMs: number | null;
  failuresAtFix: number | null;
  lastFailures: number | null;
  lastRiseMs: number;
}

/** The key of one Envoy instance: a restart (restartCount) or a new pod (uid) starts a new one. */
function instanceKey(p: RawPod): string {
  const proxy = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((c) => c.name === SIDECAR_CONTAINER);
  return `${p.metadata?.uid ?? p.metadata?.name}/${proxy?.restartCount ?? 0}`;
}

export async function verifyFix(access: ClusterAccess, target: DiagnoseTarget, options: VerifyOptions): Promise<VerifyResult> {
  const { clients, transport } = access;
  let requests = 0;
  const startMs = Date.now();
  let workload: WorkloadRef | null = target.kind === 'workload' ? target.workload : null;
  if (target.kind === 'pod') {
    requests++;
    const pod = await readPod(clients, target.pod);
    requests++;
    workload = await findOwningWorkload(clients, pod);
  }
  const listPods = async (): Promise<RawPod[]> => {
    requests += workload ? 2 : 1;
    if (workload) return listWorkloadPods(clients, workload);
    if (target.kind !== 'pod') return [];
    return [await readPod(clients, target.pod)];
  };
  const tracks = new Map<string, Track>();
  let checks: ClusterVerification[] = [];
  let stillFailing: string[] = [];
  for (;;) {
    if (options.signal?.aborted) throw abortError('the verification was cancelled');
    const nowMs = Date.now();
    const pods = (await listPods()).filter((p) => hasEnvoySidecar(p) && p.status?.phase === 'Running');
    const looked = await mapBounded(pods, options.concurrency ?? 4, async (p) => {
      requests += 4;
      return fetchClusterRows(transport.admin, podRefOf(clients.context, p), options.signal);
    }, options.signal);
    checks = [];
    stillFailing = [];
    looked.forEach((r, i) => {
      const pod = podLabel(podRefOf(clients.context, pods[i]!));
      if (!r.ok) return void stillFailing.push(`${pod}: its Envoy could not be read (${r.error instanceof Error ? r.error.message : String(r.error)})`);
      for (const cluster of options.clusters) {
        const row = r.value.find((x) => x.name === cluster);
        if (!row) continue;
        const key = `${instanceKey(pods[i]!)}/${cluster}`;
        const value = row.connectTimeoutSeconds === null ? 'unknown' : formatDuration(row.connectTimeoutSeconds);
        const failures = row.connectFailures;
        let t = tracks.get(key);
        if (!t) tracks.set(key, (t = { before: value, fixedAtMs: null, failuresAtFix: null, lastFailures: failures, lastRiseMs: nowMs }));
        const fixed = !isLowConnectTimeout(row, options.minimumSeconds) && row.connectTimeoutSeconds !== null;
        if (failures !== null && t.lastFailures !== null && failures > t.lastFailures) t.lastRiseMs = nowMs;
        t.lastFailures = failures;
        if (fixed && t.fixedAtMs === null) {
          t.fixedAtMs = nowMs;
          t.failuresAtFix = failures;
        }
        if (!fixed) t.fixedAtMs = null;
        const flatSince = t.fixedAtMs === null ? nowMs : Math.max(t.fixedAtMs, t.lastRiseMs);
        const check: ClusterVerification = {
          pod,
          cluster,
          before: t.before,
          after: value,
          fixed,
          failuresSinceFix: failures !== null && t.failuresAtFix !== null ? failures - t.failuresAtFix : 0,
          flatSeconds: Math.round((nowMs - flatSince) / 100) / 10,
        };
        checks.push(check);
        if (!fixed) stillFailing.push(`${pod}: ${cluster} still has connect timeout ${value}`);
        else if (check.flatSeconds < options.windowSeconds) stillFailing.push(`${pod}: ${cluster} at ${value}; failures flat for ${check.flatSeconds} s of ${options.windowSeconds} s`);
      }
    });
    if (checks.length === 0 && stillFailing.length === 0) stillFailing.push(`no running pod of ${target.kind === 'pod' ? podLabel(target.pod) : target.workload.name} has the cluster(s) ${options.clusters.join(', ')}`);
    const tookSeconds = Math.round((Date.now() - startMs) / 100) / 10;
    if (stillFailing.length === 0) return { verified: true, tookSeconds, checks, stillFailing, requests };
    options.onProgress?.(stillFailing[0]!);
    if (Date.now() - startMs + options.intervalSeconds * 1000 > options.timeoutSeconds * 1000) return { verified: false, tookSeconds, checks, stillFailing, requests };
    await sleep(options.intervalSeconds * 1000, 'the verification', options.signal);
  }
}

