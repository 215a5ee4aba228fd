import type { DiagnoseEvidence } from '../core/diagnose/types';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { podLabel } from '../core/podAccess';
import { hasEnvoySidecar } from '../core/pods';
import { abortError } from '../kube/cancellation';
import { toKubeAccessError } from '../kube/clients';
import { gatherEvidence, MAX_DIAGNOSED_PODS, type GatherOptions } from '../kube/diagnoseEvidence';
import type { ClusterAccess } from '../kube/transport';
import { KubeAccessError } from '../kube/types';
import { podRefOf } from '../kube/workloads';
import type { DiagnoseScope } from './targets';

/** Pods of a namespace diagnosed at once: each holds its stats samples apart, so they overlap. */
export const NAMESPACE_CONCURRENCY = 4;

export type ScopeGatherOptions = Omit<GatherOptions, 'onProgress'> & { readonly onProgress?: (step: string) => void };

/**
 * The evidence of a scope. A pod or a workload is gathered as `mesh-doctor diagnose` gathers it,
 * with its debug window when asked; a namespace is every running meshed pod (at most
 * MAX_DIAGNOSED_PODS), each gathered as a pod with NAMESPACE_CONCURRENCY at once, merged into one
 * evidence so the ranking sees them together. A namespace gets no debug window: the pods' windows
 * would run in batches, for several times the minutes asked.
 */
export async function gatherScope(access: ClusterAccess, scope: DiagnoseScope, options: ScopeGatherOptions): Promise<DiagnoseEvidence> {
  const gather: GatherOptions = { ...options, onProgress: (step, done, total) => options.onProgress?.(`${step} (${done}/${total})`) };
  if (scope.kind === 'target') return gatherEvidence(access, scope.target, gather);

  const { namespace } = scope;
  let listed;
  try {
    listed = (await access.clients.core.listNamespacedPod({ namespace })).items;
  } catch (err) {
    throw toKubeAccessError(err, `list pods in namespace ${namespace}`, access.clients.server);
  }
  const meshed = listed.filter((p) => hasEnvoySidecar(p) && p.status?.phase === 'Running').map((p) => podRefOf(scope.context, p));
  meshed.sort((a, b) => a.name.localeCompare(b.name));
  if (meshed.length === 0) throw new KubeAccessError(`namespace ${namespace}: no running pod with an Envoy sidecar to diagnose`, { kind: 'no-sidecar' }, null, 'NoSidecar');
  const pods = meshed.slice(0, MAX_DIAGNOSED_PODS);
  let finished = 0;
  const results = await mapBounded(pods, NAMESPACE_CONCURRENCY, async (pod) => {
    const evidence = await gatherEvidence(access, { kind: 'pod', pod }, { ...options, debugMinutes: 0, concurrency: 1 });
    options.onProgress?.(`diagnosed ${podLabel(pod)} (${++finished}/${pods.length} pods)`);
    return evidence;
  }, options.signal);
  if (options.signal?.aborted) throw abortError('the diagnosis was cancelled');
  const gathered = results.flatMap((r) => (r.ok ? [r.value] : []));
  const notes = [
    ...(meshed.length > pods.length ? [`${meshed.length} meshed pods: the first ${MAX_DIAGNOSED_PODS} by name were read`] : []),
    ...results.flatMap((r) => (r.ok ? r.value.notes : [`${podLabel(r.item)}: ${r.error instanceof Error ? r.error.message : String(r.error)}`])),
  ];
  const first = gathered[0];
  if (!first) {
    const failure = results.find((r) => !r.ok && r.error instanceof KubeAccessError);
    throw failure && !failure.ok ? failure.error : new Error(`namespace ${namespace}: no pod could be read`);
  }
  return {
    target: `namespace ${namespace}`,
    window: {
      ...first.window,
      from: gathered.map((e) => e.window.from).sort()[0]!,
      to: gathered.map((e) => e.window.to).sort().at(-1)!,
    },
    pods: gathered.flatMap((e) => e.pods),
    // The list of the namespace's pods, then each pod's own requests.
    requests: 1 + results.reduce((sum, r) => sum + (r.ok ? r.value.requests : 0), 0),
    notes,
  };
}
