import { ClusterAccessPool } from '../../../src/kube/transport';
import type { EnvoyAdminClient, PodRef } from '../../../src/kube/types';
import type { MeshAccess } from '../../../src/explorer/meshModel';

/** The access the extension builds in KubeSession (one ClusterAccessPool, api transport), counting admin requests. */
export function standInAccess(kubeconfigPath: string, active: string): MeshAccess & { adminRequests: number } {
  const pool = new ClusterAccessPool(() => ({ kubeconfig: kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' }));
  const access = {
    adminRequests: 0,
    config: () => pool.kubeConfig(),
    activeContext: () => active,
    clientsFor: (context: string) => pool.accessFor(context).clients,
    adminFor(context: string): EnvoyAdminClient {
      const real = pool.accessFor(context).transport.admin;
      return {
        request: (pod, method, path, signal) => {
          access.adminRequests++;
          return real.request(pod, method, path, signal);
        },
      };
    },
    adminRoute: (pod: PodRef) => pool.accessFor(pod.context).transport.adminRoute(pod),
    reset: () => pool.reset(),
  };
  return access;
}
