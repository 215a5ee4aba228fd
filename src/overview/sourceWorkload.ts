import type { OverviewRow } from '../core/overview/types';
import type { KubeClients } from '../kube/clients';
import { listWorkloads, type WorkloadRef } from '../kube/workloads';

/**
 * The workload a row's `source_workload` names. Istio labels a pod's traffic with its
 * controller's name (the Deployment's, not the ReplicaSet's), so the row's namespace is searched
 * for a Deployment, StatefulSet or DaemonSet of that name (in that order); null when none has it.
 */
export async function findSourceWorkload(clients: KubeClients, row: Pick<OverviewRow, 'sourceNamespace' | 'sourceWorkload'>): Promise<WorkloadRef | null> {
  const workloads = await listWorkloads(clients, row.sourceNamespace);
  return workloads.find((w) => w.name === row.sourceWorkload) ?? null;
}
