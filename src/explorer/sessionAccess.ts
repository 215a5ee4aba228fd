import type { KubeSession } from './kubeSession';
import type { MeshAccess } from './meshModel';

/** The mesh model's cluster access over the extension's KubeSession, whose transport knows the admin route. */
export function sessionAccess(session: KubeSession): MeshAccess {
  return {
    config: () => session.config(),
    activeContext: () => session.activeContext(),
    clientsFor: (context) => session.accessFor(context).clients,
    adminFor: (context) => session.accessFor(context).transport.admin,
    adminRoute: (pod) => session.accessFor(pod.context).transport.adminRoute(pod),
    reset: () => session.reset(),
  };
}
