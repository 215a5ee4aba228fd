/**
 * Gathers what a diagnosis reads from the cluster, for a pod or a workload's pods: the cluster
 * config dump, two stats samples some seconds apart (so counters give rates), the last minutes of
 * the app containers' and istio-proxy's logs, and optionally a window of Envoy debug logging,
 * raised and restored by the caller's DebugLoggingRaiser (the CLI's state file, or the editor's
 * EnvoyLogRaiser service). Every request goes through the one ClusterAccess, is counted, and is
 * bounded in number and concurrency; progress is reported and a signal cancels.
 */

import { CAUSE_STATS_FILTER } from '../core/envoy/clusterCounters';
import { ENVOY_ADMIN_REQUESTS } from '../core/envoy/clusterRows';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { elapsedText } from '../core/diagnose/report';
import type { ContainerLogText, DiagnoseEvidence, PodEvidence, StatsSample } from '../core/diagnose/types';
import { appContainers, hasEnvoySidecar, SIDECAR_CONTAINER } from '../core/pods';
import { podLabel } from '../core/podAccess';
import { readPod, type RawPod } from './pods';
import { abortError, sleep } from './cancellation';
import type { ClusterAccess } from './transport';
import { KubeAccessError, type EnvoyAdminClient, type PodLogSource, type PodRef } from './types';
import { check } from './remedy';
import { listWorkloadPods, podRefOf, workloadLabel, type WorkloadRef } from './workloads';

export type DiagnoseTarget = { readonly kind: 'pod'; readonly pod: PodRef } | { readonly kind: 'workload'; readonly workload: WorkloadRef };

export function targetLabel(target: DiagnoseTarget): string {
  return target.kind === 'pod' ? `pod ${podLabel(target.pod)}` : `${target.workload.kind.toLowerCase()} ${target.workload.namespace}/${target.workload.name}`;
}

/** A raised window of Envoy debug logging over some pods; `restore` puts back exactly what was there. */
export interface RaisedDebugLogging {
  /** Resolves with what could not be restored (empty when every pod is back at its saved levels). */
  restore(): Promise<string[]>;
}

/** How a front end raises debug logging (with its protected-context rule and crash-safe record). */
export type DebugLoggingRaiser = (admin: EnvoyAdminClient, pods: readonly { readonly pod: PodRef; readonly uid: string }[], signal?: AbortSignal) => Promise<RaisedDebugLogging>;

export interface GatherOptions {
  /** Minutes of logs to read, back from now. */
  readonly minutes: number;
  /** Seconds between the two stats samples. */
  readonly sampleSeconds: number;
  /** Minutes of Envoy debug logging; 0 for none. Needs `raiseDebug`. */
  readonly debugMinutes: number;
  readonly raiseDebug?: DebugLoggingRaiser;
  /** Pods of a workload read at once. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** A step done: what it was, and how many of `total` steps are done. */
  readonly onProgress?: (step: string, done: number, total: number) => void;
}

/** More pods than this in one workload are not all read: a diagnosis stays a bounded number of requests. */
export const MAX_DIAGNOSED_PODS = 20;
/** Longest debug window: longer is a forgotten one (--debug-minutes and meshDoctor.diagnose.debugMinutes). */
export const MAX_DEBUG_MINUTES = 60;
/** Lines kept per container log (the newest): enough for minutes of a busy sidecar, bounded memory. */
export const MAX_LOG_LINES = 20_000;
const DEFAULT_CONCURRENCY = 4;
/** How often a debug window's time left is reported. */
const DEBUG_PROGRESS_MS = 5_000;

/** The access's admin and log source, each request counted. */
function counted(access: ClusterAccess): { admin: EnvoyAdminClient; logs: PodLogSource; count: () => number; api: () => void } {
  let requests = 0;
  const { admin, logs } = access.transport;
  return {
    admin: { request: (pod, method, path, signal) => (requests++, admin.request(pod, method, path, signal)) },
    logs: { streamLogs: (pod, options, onLine, signal) => (requests++, logs.streamLogs(pod, options, onLine, signal)) },
    count: () => requests,
    api: () => void requests++,
  };
}

async function targetPods(access: ClusterAccess, target: DiagnoseTarget, api: () => void): Promise<RawPod[]> {
  if (target.kind === 'pod') {
    api();
    return [await readPod(access.clients, target.pod)];
  }
  api();
  api();
  const pods = await listWorkloadPods(access.clients, target.workload);
  if (pods.length === 0) throw new KubeAccessError(`${workloadLabel(target.workload)} in namespace ${target.workload.namespace} has no pods`, check('check the workload name and that it is scaled up'));
  return pods;
}

/** Keeps the newest `max` lines. */
class LastLines {
  readonly lines: string[] = [];
  dropped = 0;
  constructor(private readonly max: number) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max * 2) {
      this.dropped += this.lines.length - this.max;
      this.lines.splice(0, this.lines.length - this.max);
    }
  }
  done(): string[] {
    if (this.lines.length > this.max) {
      this.dropped += this.lines.length - this.max;
      this.lines.splice(0, this.lines.length - this.max);
    }
    return this.lines;
  }
}

export async function gatherEvidence(access: ClusterAccess, target: DiagnoseTarget, options: GatherOptions): Promise<DiagnoseEvidence> {
  const { signal } = options;
  const io = counted(access);
  const notes: string[] = [];
  const context = access.clients.context;
  const limit = options.concurrency ?? DEFAULT_CONCURRENCY;
  const raw = await targetPods(access, target, io.api);
  if (raw.length > MAX_DIAGNOSED_PODS) notes.push(`${raw.length} pods: the first ${MAX_DIAGNOSED_PODS} by name were read`);
  const withSidecar: { ref: PodRef; uid: string; containers: string[] }[] = [];
  for (const p of raw.slice(0, MAX_DIAGNOSED_PODS)) {
    const ref = podRefOf(context, p);
    if (!hasEnvoySidecar(p)) notes.push(`${podLabel(ref)} has no Envoy sidecar: skipped`);
    else withSidecar.push({ ref, uid: p.metadata?.uid ?? '', containers: [...appContainers(p), SIDECAR_CONTAINER] });
  }
  if (withSidecar.length === 0) throw new KubeAccessError(`${targetLabel(target)}: no pod with an Envoy sidecar to diagnose`, { kind: 'no-sidecar' }, null, 'NoSidecar');

  const debugMinutes = options.raiseDebug ? options.debugMinutes : 0;
  const sampleWaitMs = Math.max(options.sampleSeconds * 1000, debugMinutes * 60_000);
  const total = withSidecar.length * 3 + 1;
  let done = 0;
  const step = (what: string) => options.onProgress?.(what, ++done, total);
  const fail = (pod: PodRef, what: string, err: unknown) => notes.push(`${podLabel(pod)}: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  const get = (pod: PodRef, path: string) => io.admin.request(pod, 'GET', path, signal);
  const sample = async (pod: PodRef): Promise<StatsSample> => {
    const [clusters, stats] = await Promise.all([get(pod, ENVOY_ADMIN_REQUESTS.clusters), get(pod, `/stats?format=json&filter=${encodeURIComponent(CAUSE_STATS_FILTER)}`)]);
    return { atMs: Date.now(), clusters, stats };
  };

  const startMs = Date.now();
  const first = await mapBounded(withSidecar, limit, async ({ ref }) => {
    const [dynamic, statics, s] = await Promise.all([get(ref, ENVOY_ADMIN_REQUESTS.dynamicClusters), get(ref, ENVOY_ADMIN_REQUESTS.staticClusters), sample(ref)]);
    step(`read the config and first stats of ${podLabel(ref)}`);
    return { configDumps: [dynamic, statics], sample: s };
  }, signal);
  if (signal?.aborted) throw abortError('the diagnosis was cancelled');
  const reachable = first.flatMap((r, i) => (r.ok ? [{ ...withSidecar[i], ...r.value }] : (fail(r.item.ref, 'reading Envoy admin', r.error), [])));
  if (reachable.length === 0) throw firstError(first) ?? new KubeAccessError(`${targetLabel(target)}: no pod's Envoy admin answered`, check('check the istio-proxy containers and your rights on pods/portforward or pods/exec'));

  let raised: RaisedDebugLogging | null = null;
  if (debugMinutes > 0 && options.raiseDebug) {
    raised = await options.raiseDebug(io.admin, reachable.map((p) => ({ pod: p.ref, uid: p.uid })), signal);
    notes.push(`Envoy debug logging raised on ${reachable.length} pod(s) for ${debugMinutes} min`);
  }
  try {
    const until = startMs + sampleWaitMs;
    // A debug window lasts minutes: say how long is left, so a user knows it is waiting, not stuck.
    for (let left = until - Date.now(); left > 0; left = until - Date.now()) {
      if (raised) options.onProgress?.(`Envoy debug logging raised on ${reachable.length} pod(s): ${elapsedText(left / 1000)} left`, done, total);
      await sleep(raised ? Math.min(left, DEBUG_PROGRESS_MS) : left, 'the diagnosis', signal);
    }
  } finally {
    if (raised) {
      const problems = await raised.restore();
      notes.push(...(problems.length > 0 ? problems : ['Envoy log levels restored exactly']));
    }
  }
  step('waited between the stats samples');

  const fromMs = Math.min(startMs, Date.now() - options.minutes * 60_000);
  const sinceTime = new Date(fromMs).toISOString();
  const pods = await mapBounded(reachable, limit, async (p): Promise<PodEvidence> => {
    const second = await sample(p.ref);
    step(`read the second stats of ${podLabel(p.ref)}`);
    const logs = await Promise.all(p.containers.map((c) => readLog(io.logs, p.ref, c, sinceTime, signal).catch((err: unknown) => (fail(p.ref, `reading the ${c} log`, err), null))));
    step(`read the logs of ${podLabel(p.ref)}`);
    return { pod: podLabel(p.ref), configDumps: p.configDumps, samples: [p.sample, second], logs: logs.filter((l): l is ContainerLogText => l !== null), debugRaised: raised !== null };
  }, signal);
  if (signal?.aborted) throw abortError('the diagnosis was cancelled');
  const evidence = pods.flatMap((r) => (r.ok ? [r.value] : (fail(r.item.ref, 'the second sample', r.error), [])));
  return {
    target: targetLabel(target),
    window: { from: sinceTime, to: new Date().toISOString(), minutes: options.minutes, sampleSeconds: sampleWaitMs / 1000, debugMinutes },
    pods: evidence,
    requests: io.count(),
    notes,
  };
}

/** The first failure of a bounded run that is a KubeAccessError (its hint says what to do). */
function firstError(results: readonly { ok: boolean; error?: unknown }[]): KubeAccessError | undefined {
  for (const r of results) if (!r.ok && r.error instanceof KubeAccessError) return r.error;
  return undefined;
}

async function readLog(logs: PodLogSource, pod: PodRef, container: string, sinceTime: string, signal?: AbortSignal): Promise<ContainerLogText> {
  const kept = new LastLines(MAX_LOG_LINES);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await logs.streamLogs(pod, { container, follow: false, sinceTime, timestamps: true }, (line) => kept.push(line), controller.signal);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return { container, file: `${podLabel(pod)}/${container}`, lines: kept.done() };
}
