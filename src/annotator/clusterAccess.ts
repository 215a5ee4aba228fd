import { readConfig } from '../config';
import { createKubeClients, type KubeClients, toKubeAccessError } from '../kube/clients';
import { kubeconfigPaths, loadKubeConfig } from '../kube/kubeconfig';
import { createTransport } from '../kube/transport';
import { findOwningWorkload, listWorkloadPods, podRefOf, workloadLabel } from '../kube/workloads';
import type { PodRef } from '../kube/types';
import type { LiveClusterAccess } from './liveSources';

/**
 * Cluster access for live annotation from the user's settings: the kubeconfig (setting, then
 * KUBECONFIG, then ~/.kube/config) and the transport (client-node or kubectl). Read once per
 * command run, so a settings change applies to the next run.
 */
export function createClusterAccess(): LiveClusterAccess {
  const config = readConfig();
  const source = { kubeconfigSetting: config.kubeconfig };
  const kubeConfig = loadKubeConfig(source);
  const clients = new Map<string, KubeClients>();
  const clientsFor = (context: string): KubeClients => {
    let c = clients.get(context);
    if (!c) {
      c = createKubeClients(kubeConfig, context, { requestTimeoutSeconds: config.requestTimeoutSeconds });
      clients.set(context, c);
    }
    return c;
  };
  const readPod = async (pod: PodRef) => {
    const c = clientsFor(pod.context);
    try {
      return await c.core.readNamespacedPod({ name: pod.name, namespace: pod.namespace });
    } catch (err) {
      throw toKubeAccessError(err, `get pod ${pod.namespace}/${pod.name}`, c.server);
    }
  };
  return {
    logSource: (context) => createTransport(config.transport, clientsFor(context), config.kubectlPath, kubeconfigPaths(source)).logs,
    readPod,
    async workloadPods(pod) {
      const c = clientsFor(pod.context);
      try {
        const workload = await findOwningWorkload(c, await readPod(pod));
        if (!workload) return null;
        const pods = await listWorkloadPods(c, workload);
        return { label: workloadLabel(workload), pods: pods.map((p) => ({ pod: podRefOf(pod.context, p), raw: p })) };
      } catch (err) {
        throw toKubeAccessError(err, `find the workload of pod ${pod.namespace}/${pod.name}`, c.server);
      }
    },
  };
}
