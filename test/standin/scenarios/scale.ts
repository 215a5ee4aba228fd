import { type MeshModel } from '../model/meshModel';
import { addDeployment } from './workloads';

export interface ScaleKnobs {
  readonly namespaces: number;
  readonly podsPerNamespace: number;
  readonly clustersPerPod: number;
}

export const DEFAULT_SCALE: ScaleKnobs = { namespaces: 200, podsPerNamespace: 50, clustersPerPod: 50 };

/**
 * A big mesh: `namespaces` namespaces of `podsPerNamespace` sidecar pods (five Deployments each),
 * every sidecar with `clustersPerPod` generated clusters. Pods are small records; their JSON,
 * Envoy and logs are built only when asked for.
 */
export function buildScaleScenario(model: MeshModel, knobs: ScaleKnobs): void {
  const perDeployment = Math.max(1, Math.ceil(knobs.podsPerNamespace / 5));
  for (let n = 0; n < knobs.namespaces; n++) {
    const namespace = `team-${String(n).padStart(3, '0')}`;
    model.addNamespace(namespace, { 'istio-injection': 'enabled' });
    let left = knobs.podsPerNamespace;
    for (let d = 0; left > 0; d++) {
      const replicas = Math.min(perDeployment, left);
      left -= replicas;
      addDeployment(model, {
        namespace,
        name: `svc-${d}`,
        replicas,
        sidecar: () => ({ istioVersion: '1.22.3', identityConnectTimeout: '10s', extraClusters: knobs.clustersPerPod }),
      });
    }
  }
}
