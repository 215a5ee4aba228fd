import { createKubeClients, type KubeClients } from '../../../src/kube/clients';
import { createApiAdminClient, type ApiAdminClient } from '../../../src/kube/envoyAdmin';
import { loadKubeConfig } from '../../../src/kube/kubeconfig';
import type { EnvoyAdminClient } from '../../../src/kube/types';
import type { MeshAccess } from '../../../src/explorer/meshModel';

/** The access the extension builds over KubeSession, built here from src/kube directly, counting admin requests. */
export function standInAccess(kubeconfigPath: string, active: string): MeshAccess & { adminRequests: number } {
  const clients = new Map<string, KubeClients>();
  const admins = new Map<string, ApiAdminClient>();
  const kubeConfig = loadKubeConfig({ kubeconfigSetting: kubeconfigPath });
  const access = {
    adminRequests: 0,
    config: () => kubeConfig,
    activeContext: () => active,
    clientsFor(context: string): KubeClients {
      let c = clients.get(context);
      if (!c) clients.set(context, (c = createKubeClients(kubeConfig, context)));
      return c;
    },
    adminFor(context: string): EnvoyAdminClient {
      let admin = admins.get(context);
      if (!admin) admins.set(context, (admin = createApiAdminClient(access.clientsFor(context))));
      const real = admin;
      return {
        request: (pod, method, path, signal) => {
          access.adminRequests++;
          return real.request(pod, method, path, signal);
        },
      };
    },
    adminRoute: (pod: { context: string; namespace: string; name: string }) => admins.get(pod.context)?.routeFor(pod) ?? null,
    reset: () => {
      clients.clear();
      admins.clear();
    },
  };
  return access;
}

