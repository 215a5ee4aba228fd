import * as vscode from 'vscode';
import type { ClientNode } from '../kube/clientNode';
import { toKubeAccessError } from '../kube/clients';
import { type ClusterAccess, type ClusterAccessSettings, loadClusterConfig, openClusterAccess } from '../kube/transport';
import { type PodRef } from '../kube/types';
import { type PickItem, type UserInterface } from './ui';
import { type WorkloadRef, findOwningWorkload, listWorkloadPods, listWorkloads, podRefOf, workloadLabel } from '../kube/workloads';
import { readPod as readPodWith } from '../kube/pods';

/** What a pod or workload command can be given: a tree node (`node.pod`), a workload, or nothing (pickers). */
export type TargetArg = { readonly pod: PodRef } | { readonly workload: WorkloadRef } | undefined;

/** The pods a command acts on, read fresh from the cluster (uids and sidecars as they are now). */
export interface ResolvedTarget {
  readonly access: ClusterAccess;
  readonly label: string;
  readonly workload?: WorkloadRef;
  /** Reads the pods now; for a workload, its current replicas. */
  readonly listPods: () => Promise<ClientNode.V1Pod[]>;
}

export function isTargetArg(arg: unknown): arg is NonNullable<TargetArg> {
  if (typeof arg !== 'object' || arg === null) return false;
  const a = arg as { pod?: { name?: unknown }; workload?: { name?: unknown } };
  return typeof a.pod?.name === 'string' || typeof a.workload?.name === 'string';
}

/**
 * Resolves a command's target. With `scope: 'workload'` a pod argument means its owning
 * Deployment, StatefulSet or DaemonSet (pod -> ReplicaSet -> Deployment). Undefined when the
 * user cancelled a picker.
 */
export async function resolveTarget(ui: UserInterface, arg: unknown, scope: 'pod' | 'workload', settings: ClusterAccessSettings): Promise<ResolvedTarget | undefined> {
  const given = isTargetArg(arg) ? arg : await pickTarget(ui, settings, scope);
  if (!given) return undefined;
  if ('workload' in given) return workloadTarget(openClusterAccess(settings, given.workload.context), given.workload);
  const access = openClusterAccess(settings, given.pod.context);
  if (scope === 'workload') {
    const raw = await readPod(access, given.pod);
    const workload = await findOwningWorkload(access.clients, raw);
    if (!workload) throw new Error(`${given.pod.namespace}/${given.pod.name} does not belong to a Deployment, StatefulSet or DaemonSet; use the pod command instead`);
    return workloadTarget(access, workload);
  }
  return { access, label: `${given.pod.namespace}/${given.pod.name}`, listPods: async () => [await readPod(access, given.pod)] };
}

function workloadTarget(access: ClusterAccess, workload: WorkloadRef): ResolvedTarget {
  return { access, workload, label: `${workload.namespace}/${workloadLabel(workload)}`, listPods: () => listWorkloadPods(access.clients, workload) };
}

/** Reads one pod through the access's clients (the one wording of kube/pods readPod). */
export function readPod(access: ClusterAccess, pod: PodRef): Promise<ClientNode.V1Pod> {
  return readPodWith(access.clients, pod);
}

type PickedItem = PickItem & { target?: NonNullable<TargetArg> };

/** Context -> namespace -> pod or workload, each a QuickPick (the seam escapes the names, which come from the kubeconfig and the cluster). */
export async function pickTarget(ui: UserInterface, settings: ClusterAccessSettings, scope: 'pod' | 'workload'): Promise<NonNullable<TargetArg> | undefined> {
  const config = loadClusterConfig(settings);
  const kc = config.kubeConfig;
  const current = kc.getCurrentContext();
  const context = await ui.pick(
    kc.getContexts().map((c) => ({ label: c.name, description: c.name === current ? 'current' : c.cluster })),
    { title: 'Kube context', placeHolder: 'Pick the cluster' },
  );
  if (!context) return undefined;
  const access = openClusterAccess(settings, context.label, config);
  const namespaces = access.clients.core.listNamespace().then(
    (l) => l.items.map((n) => ({ label: n.metadata?.name ?? '' })),
    (err: unknown) => Promise.reject(toKubeAccessError(err, 'list namespaces', access.clients.server)),
  );
  const ns = await ui.pick(namespaces, { title: `Namespace in ${context.label}` });
  if (!ns) return undefined;
  const items = loadTargetItems(access, ns.label, scope);
  const picked = await ui.pick(items, { title: `${scope === 'workload' ? 'Workload' : 'Pod or workload'} in ${ns.label}`, matchOnDescription: true });
  return picked?.target;
}

async function loadTargetItems(access: ClusterAccess, namespace: string, scope: 'pod' | 'workload'): Promise<PickedItem[]> {
  const workloads = await listWorkloads(access.clients, namespace);
  const items: PickedItem[] = [{ label: 'Workloads', kind: vscode.QuickPickItemKind.Separator }];
  items.push(...workloads.map((w) => ({ icon: 'layers', label: w.name, description: w.kind, target: { workload: w } })));
  if (scope === 'pod') {
    let pods: ClientNode.V1Pod[];
    try {
      pods = (await access.clients.core.listNamespacedPod({ namespace })).items;
    } catch (err) {
      throw toKubeAccessError(err, `list pods in namespace ${namespace}`, access.clients.server);
    }
    items.push({ label: 'Pods', kind: vscode.QuickPickItemKind.Separator });
    items.push(...pods.map((p) => ({ icon: 'vm', label: p.metadata?.name ?? '', description: p.status?.phase, target: { pod: podRefOf(access.clients.context, p) } })));
  }
  return items;
}
