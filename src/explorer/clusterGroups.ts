import type { ClusterRates } from '../core/envoy/clusterVerdict';
import type { ClusterDirection, ClusterRow } from '../core/envoy/types';
import type { AdminRoute } from '../kube/envoyAdmin';
import { messageNode, type ClusterGroupNode, type ClusterNode, type MeshNode, type PodNode } from './nodes';

const DIRECTIONS: readonly ClusterDirection[] = ['outbound', 'inbound', 'other'];

/** Which rows the view shows; null shows all. Decided by the view (it knows the current minimum). */
export type ClusterFilter = (row: ClusterRow, rates: ClusterRates | null) => boolean;

/**
 * A pod's children: one group per direction that has clusters left after `filter`, preceded by
 * notes (Envoy reached through exec; nothing to show and why).
 */
export function clusterGroupNodes(pod: PodNode, rows: readonly ClusterRow[], rates: ReadonlyMap<string, ClusterRates | null>, route: AdminRoute | null, filter: ClusterFilter | null): MeshNode[] {
  const notes: MeshNode[] = [];
  if (route === 'exec') {
    notes.push(messageNode(pod, 'info', 'Envoy reached through exec (port-forward was refused)', `ask for create on pods/portforward in namespace ${pod.pod.namespace} to use port-forward`));
  }
  const groups: ClusterGroupNode[] = [];
  for (const direction of DIRECTIONS) {
    const all = rows.filter((r) => r.direction === direction);
    const shown = filter ? all.filter((row) => filter(row, rates.get(row.name) ?? null)) : all;
    if (shown.length > 0) groups.push({ kind: 'clusterGroup', parent: pod, pod: pod.pod, direction, rows: shown, rates, unfiltered: all.length });
  }
  if (groups.length === 0) {
    notes.push(filter
      ? messageNode(pod, 'info', 'no cluster with a problem or a low connect timeout', 'turn the filter off to see all clusters')
      : messageNode(pod, 'info', 'Envoy reports no clusters', 'the proxy may still be starting; refresh in a moment'));
  }
  return [...notes, ...groups];
}

export function clusterNodes(group: ClusterGroupNode): ClusterNode[] {
  return group.rows.map((cluster) => ({ kind: 'cluster', parent: group, pod: group.pod, cluster, rates: group.rates.get(cluster.name) ?? null }));
}
