import type { PodRef } from '../kube/types';

/**
 * How a feature shows an Envoy cluster or a namespace in the Mesh view without knowing the view:
 * the explorer implements it, the annotator's "Show cluster in Mesh tree" and the overview's rows
 * use it.
 */
export interface ClusterRevealer {
  /**
   * Selects `cluster` under `pod` in the Mesh view (`pod` null: the pod is not known, so the view
   * is only focused). Resolves false, after telling the user why, when the view does not show it.
   */
  revealCluster(cluster: string, pod: PodRef | null): Promise<boolean>;
  /** Selects and expands `namespace` under `context` in the Mesh view; resolves false, after telling the user why, when the view does not show it. */
  revealNamespace(context: string, namespace: string): Promise<boolean>;
}
