import type { ClusterDirection, ClusterRow } from '../core/envoy/types';
import type { PodSummary } from '../core/pods';
import type { RawPod } from '../kube/pods';
import type { PodRef } from '../kube/types';

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
  /** Updated in place by the pod watch. */
  meshed: number;
  total: number;
}

/** Other features' commands on pod nodes read `node.pod` (and may read `node.raw`). */
export interface PodNode {
  readonly kind: 'pod';
  readonly parent: NamespaceNode;
  readonly pod: PodRef;
  /** Updated in place by the pod watch, so the node keeps its identity and expansion. */
  raw: RawPod;
  summary: PodSummary;
}

export interface ClusterGroupNode {
  readonly kind: 'clusterGroup';
  readonly parent: PodNode;
  readonly pod: PodRef;
  readonly direction: ClusterDirection;
  /** Filled right after the group is made (each cluster points back at it). */
  clusters: readonly ClusterNode[];
  /** How many clusters the direction has before filtering. */
  readonly unfiltered: number;
}

export interface ClusterNode {
  readonly kind: 'cluster';
  readonly parent: ClusterGroupNode;
  readonly pod: PodRef;
  readonly cluster: ClusterRow;
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
