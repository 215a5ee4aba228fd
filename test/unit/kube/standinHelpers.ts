import { type StandIn, startStandIn } from '../../standin';
import { type ClusterAccess, openClusterAccess } from '../../../src/kube/transport';
import { type PodRef, type TransportKind } from '../../../src/kube/types';
import { ensureKubectl } from '../../standin/kubectl';

/** One stand-in `incident` mesh per test file, reached with the real client-node and the real kubectl. */
export interface Mesh {
  standIn: StandIn;
  kubectl: string;
  access(kind: TransportKind): ClusterAccess;
  /** The checkout replicas (1s connect timeout, sidecar), sorted by name. */
  checkoutPods(): Promise<PodRef[]>;
}

export async function startMesh(): Promise<Mesh> {
  const [standIn, kubectl] = await Promise.all([startStandIn({ scenario: 'incident' }), ensureKubectl()]);
  const access = (kind: TransportKind): ClusterAccess => openClusterAccess({ kubeconfig: standIn.kubeconfigPath, transport: kind, kubectlPath: kubectl });
  return {
    standIn,
    kubectl,
    access,
    async checkoutPods() {
      const a = access('api');
      const list = await a.clients.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' });
      return list.items.map((p) => ({ context: a.clients.context, namespace: 'shop', name: p.metadata!.name! })).sort((x, y) => x.name.localeCompare(y.name));
    },
  };
}

/** Emits `count` numbered lines into a container, `perTick` every `tickMs`, as the container printing them. */
export async function emitNumbered(mesh: Mesh, pod: PodRef, container: string, tag: string, count: number, perTick: number, tickMs: number): Promise<void> {
  for (let i = 0; i < count; i += perTick) {
    const batch: string[] = [];
    for (let j = i; j < Math.min(count, i + perTick); j++) batch.push(`${tag} seq=${j}`);
    mesh.standIn.model.emitLog(pod.namespace, pod.name, container, batch);
    await new Promise((r) => setTimeout(r, tickMs));
  }
}

/** Starts a mesh before the suite's tests and closes it after; call inside `describe`. */
export function useMesh(): () => Mesh {
  let mesh: Mesh | undefined;
  before(async () => {
    mesh = await startMesh();
  });
  after(async () => {
    await mesh?.standIn.close();
  });
  return () => mesh!;
}
