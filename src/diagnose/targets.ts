import type { DiagnoseTarget } from '../kube/diagnoseEvidence';
import type { ClusterAccessSettings } from '../kube/transport';
import { isTargetArg, pickTarget, resolveTarget } from '../services/podTargets';
import type { UserInterface } from '../services/ui';

/** What one Diagnose run reads: a pod, a workload's pods, or every meshed pod of a namespace. */
export type DiagnoseScope =
  | { readonly kind: 'target'; readonly context: string; readonly target: DiagnoseTarget }
  | { readonly kind: 'namespace'; readonly context: string; readonly namespace: string };

/** A Mesh-view namespace node (`kind`, `context`, `namespace`), or the same given by a caller. */
function namespaceArg(arg: unknown): { context: string; namespace: string } | null {
  if (typeof arg !== 'object' || arg === null) return null;
  const a = arg as { kind?: unknown; context?: unknown; namespace?: unknown };
  return a.kind === 'namespace' && typeof a.context === 'string' && typeof a.namespace === 'string' ? { context: a.context, namespace: a.namespace } : null;
}

/**
 * The scope of a Diagnose command from what it was invoked on: a namespace node, a pod node (its
 * owning workload with `scope: 'workload'`), or nothing (the pod-or-workload pickers). Undefined
 * when the user dismissed a picker.
 */
export async function chooseScope(ui: UserInterface, arg: unknown, scope: 'pod' | 'workload', settings: ClusterAccessSettings): Promise<DiagnoseScope | undefined> {
  const ns = namespaceArg(arg);
  if (ns) return { kind: 'namespace', ...ns };
  if (scope === 'workload') {
    const resolved = await resolveTarget(ui, arg, 'workload', settings);
    if (!resolved?.workload) return undefined;
    return { kind: 'target', context: resolved.workload.context, target: { kind: 'workload', workload: resolved.workload } };
  }
  const given = isTargetArg(arg) ? arg : await pickTarget(ui, settings, 'pod');
  if (!given) return undefined;
  if ('workload' in given) return { kind: 'target', context: given.workload.context, target: { kind: 'workload', workload: given.workload } };
  return { kind: 'target', context: given.pod.context, target: { kind: 'pod', pod: given.pod } };
}
