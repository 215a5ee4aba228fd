import { readConfig } from '../config';
import { createApiAdminClient, type ApiAdminClient } from '../kube/envoyAdmin';
import type { KubeSession } from './kubeSession';
import type { MeshAccess } from './meshModel';

/**
 * The mesh model's cluster access over the extension's KubeSession. With the `api` transport the
 * admin clients are made here, typed as ApiAdminClient, because only that client knows the route
 * (port-forward or exec) that reached a pod and the session hands out the plain EnvoyAdminClient.
 * The kubectl transport always execs and reports no route.
 */
export function sessionAccess(session: KubeSession): MeshAccess {
  const apiAdmins = new Map<string, ApiAdminClient>();
  const apiAdminFor = (context: string): ApiAdminClient => {
    let admin = apiAdmins.get(context);
    if (!admin) {
      admin = createApiAdminClient(session.clientsFor(context));
      apiAdmins.set(context, admin);
    }
    return admin;
  };
  return {
    config: () => session.config(),
    activeContext: () => session.activeContext(),
    clientsFor: (context) => session.clientsFor(context),
    adminFor: (context) => (readConfig().transport === 'api' ? apiAdminFor(context) : session.adminFor(context)),
    adminRoute: (pod) => apiAdmins.get(pod.context)?.routeFor(pod) ?? null,
    reset: () => {
      apiAdmins.clear();
      session.reset();
    },
  };
}
