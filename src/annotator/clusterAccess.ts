import { ClusterAccessPool, type ClusterAccessSettings } from '../kube/transport';
import { findOwningWorkload, listWorkloadPods, podRefOf, workloadLabel } from '../kube/workloads';
import type { PodRef } from '../kube/types';
import type { LiveClusterAccess } from './liveSources';
import { readPod as readPodWith } from '../kube/pods';

/**
 * Cluster access for live annotation through openClusterAccess (the one way features reach a
 * cluster), opened once per context a run reads from. Made per command run, so a settings change
 * applies to the next run.
 */
export function createClusterAccess(settings: ClusterAccessSettings): LiveClusterAccess {
  const pool = new ClusterAccessPool(() => settings);
  const accessFor = (context: string) => pool.accessFor(context);
  const readPod = (pod: PodRef) => readPodWith(accessFor(pod.context).clients, pod);

  return {
    logSource: (context) => accessFor(context).transport.logs,
    readPod,
    async workloadPods(pod) {
      const { clients } = accessFor(pod.context);
      const workload = await findOwningWorkload(clients, await readPod(pod));
      if (!workload) return null;
      const pods = await listWorkloadPods(clients, workload);
      return { label: workloadLabel(workload), pods: pods.map((p) => ({ pod: podRefOf(pod.context, p), raw: p })) };
    },
  };
}
