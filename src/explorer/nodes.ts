import type { ClusterRates } from '../core/envoy/clusterVerdict';
import type { ClusterDirection, ClusterRow } from '../core/envoy/types';
import type { PodSummary } from '../core/pods';
import type { RawPod } from '../kube/pods';
import type { PodRef } from '../kube/types';

/*
 * The Mesh tree's nodes are immutable snapshots: a change (a pod event, a recount) produces a new
 * object with the same identity key. The tree items carry that key as their `id`, so VS Code keeps
 * selection and expansion across the swap.
 */

/** A kube context from the kubeconfig. `active`: the one Mesh Doctor uses (expanded by default). */
export interface ContextNode {
  readonly kind: 'context';
  readonly context: string;
  readonly active: boolean;
  /** The kubeconfig's own current-context. */
  readonly kubeconfigCurrent: boolean;
}

export interface NamespaceNode {
  readonly kind: 'namespace';
  readonly parent: ContextNode;
  readonly context: string;
  readonly namespace: string;
  readonly meshed: number;
  readonly total: number;
}

/** Other features' commands on pod nodes read `node.pod` (and may read `node.raw`). */
export interface PodNode {
  readonly kind: 'pod';
  readonly parent: NamespaceNode;
  readonly pod: PodRef;
  readonly raw: RawPod;
  readonly summary: PodSummary;
}

export interface ClusterGroupNode {
  readonly kind: 'clusterGroup';
  readonly parent: PodNode;
  readonly pod: PodRef;
  readonly direction: ClusterDirection;
  /** The rows shown in this group (after the filter); their nodes are made on expansion. */
  readonly rows: readonly ClusterRow[];
  /** Each pod cluster's rates against the previous reading (null without one). */
  readonly rates: ReadonlyMap<string, ClusterRates | null>;
  /** How many clusters the direction has before filtering. */
  readonly unfiltered: number;
}

export interface ClusterNode {
  readonly kind: 'cluster';
  readonly parent: ClusterGroupNode;
  readonly pod: PodRef;
  readonly cluster: ClusterRow;
  /** Per-minute rates against the previous reading of the pod; null until there is one. */
  readonly rates: ClusterRates | null;
}

/** What failed and what to do (`error`), or a note such as "filter on: nothing to show" (`info`). */
export interface MessageNode {
  readonly kind: 'message';
  readonly parent: MeshNode | null;
  readonly severity: 'error' | 'info';
  readonly message: string;
  readonly hint: string;
}

export type MeshNode = ContextNode | NamespaceNode | PodNode | ClusterGroupNode | ClusterNode | MessageNode;

export function podKey(pod: PodRef): string {
  return `${pod.context}/${pod.namespace}/${pod.name}`;
}

export function namespaceKey(node: Pick<NamespaceNode, 'context' | 'namespace'>): string {
  return `${node.context}/${node.namespace}`;
}

export function messageNode(parent: MeshNode | null, severity: MessageNode['severity'], message: string, hint: string): MessageNode {
  return { kind: 'message', parent, severity, message, hint };
}
