import type { ClientNode } from './clientNode';
import { type KubeClients, toKubeAccessError } from './clients';
import { type PodRef } from './types';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  readonly context: string;
  readonly namespace: string;
  readonly kind: WorkloadKind;
  readonly name: string;
}

export function workloadLabel(w: WorkloadRef): string {
  return `${w.kind.toLowerCase()}/${w.name}`;
}

function controllerOf(meta: ClientNode.V1ObjectMeta | undefined): ClientNode.V1OwnerReference | undefined {
  return meta?.ownerReferences?.find((o) => o.controller) ?? meta?.ownerReferences?.[0];
}

/**
 * The workload a pod belongs to, through its controller owner references: pod -> ReplicaSet ->
 * Deployment, or pod -> StatefulSet / DaemonSet. Null for bare pods, Jobs and bare ReplicaSets.
 */
export async function findOwningWorkload(clients: KubeClients, pod: ClientNode.V1Pod): Promise<WorkloadRef | null> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const owner = controllerOf(pod.metadata);
  if (!owner) return null;
  const ref = (kind: WorkloadKind, name: string): WorkloadRef => ({ context: clients.context, namespace, kind, name });
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') return ref(owner.kind, owner.name);
  if (owner.kind !== 'ReplicaSet') return null;
  let rs: ClientNode.V1ReplicaSet;
  try {
    rs = await clients.apps.readNamespacedReplicaSet({ name: owner.name, namespace });
  } catch (err) {
    throw toKubeAccessError(err, `get replicasets in namespace ${namespace}`, clients.server);
  }
  const rsOwner = controllerOf(rs.metadata);
  return rsOwner?.kind === 'Deployment' ? ref('Deployment', rsOwner.name) : null;
}

async function readWorkload(clients: KubeClients, w: WorkloadRef): Promise<{ selector?: ClientNode.V1LabelSelector }> {
  const p = { name: w.name, namespace: w.namespace };
  try {
    const obj =
      w.kind === 'Deployment' ? await clients.apps.readNamespacedDeployment(p) : w.kind === 'StatefulSet' ? await clients.apps.readNamespacedStatefulSet(p) : await clients.apps.readNamespacedDaemonSet(p);
    return { selector: obj.spec?.selector };
  } catch (err) {
    throw toKubeAccessError(err, `get ${w.kind.toLowerCase()}s in namespace ${w.namespace}`, clients.server);
  }
}

/** Renders a LabelSelector in the `labelSelector` query syntax. */
export function labelSelectorString(sel: ClientNode.V1LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** The workload's pods now (selector match, not being deleted), sorted by name. */
export async function listWorkloadPods(clients: KubeClients, w: WorkloadRef): Promise<ClientNode.V1Pod[]> {
  const { selector } = await readWorkload(clients, w);
  const labelSelector = labelSelectorString(selector);
  if (!labelSelector) throw toKubeAccessError(new Error(`${workloadLabel(w)} has an empty selector`), `list pods of ${workloadLabel(w)}`);
  try {
    const list = await clients.core.listNamespacedPod({ namespace: w.namespace, labelSelector });
    return list.items.filter((p) => !p.metadata?.deletionTimestamp).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  } catch (err) {
    throw toKubeAccessError(err, `list pods in namespace ${w.namespace}`, clients.server);
  }
}

/** Deployments, StatefulSets and DaemonSets of a namespace, for the picker. */
export async function listWorkloads(clients: KubeClients, namespace: string): Promise<WorkloadRef[]> {
  try {
    const [d, s, ds] = await Promise.all([
      clients.apps.listNamespacedDeployment({ namespace }),
      clients.apps.listNamespacedStatefulSet({ namespace }),
      clients.apps.listNamespacedDaemonSet({ namespace }),
    ]);
    const ref = (kind: WorkloadKind) => (o: { metadata?: ClientNode.V1ObjectMeta }): WorkloadRef => ({ context: clients.context, namespace, kind, name: o.metadata?.name ?? '' });
    return [...d.items.map(ref('Deployment')), ...s.items.map(ref('StatefulSet')), ...ds.items.map(ref('DaemonSet'))];
  } catch (err) {
    throw toKubeAccessError(err, `list deployments, statefulsets and daemonsets in namespace ${namespace}`, clients.server);
  }
}

export function podRefOf(context: string, pod: ClientNode.V1Pod): PodRef {
  return { context, namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '' };
}
