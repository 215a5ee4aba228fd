import { type MeshModel } from '../model/meshModel';
import { type SidecarSpec } from '../model/types';
import { addDaemonSet, addDeployment, addStatefulSet } from './workloads';

/** Istio releases in the incident mesh, one per Envoy log layout. */
export const INCIDENT_VERSIONS = { current: '1.22.3', tabbed: '1.12.6', epoch: '1.5.10' } as const;

const failing = (istioVersion: string, extra: Partial<SidecarSpec> = {}): SidecarSpec => ({ istioVersion, identityConnectTimeout: '1s', incident: true, ...extra });
const healthy = (istioVersion: string, extra: Partial<SidecarSpec> = {}): SidecarSpec => ({ istioVersion, identityConnectTimeout: '10s', ...extra });

/**
 * The incident's mesh. `shop/checkout` (3 replicas) runs sidecars whose identity-provider cluster
 * has connect_timeout 1s and fails every few seconds; everything else is healthy at 10s, except the
 * legacy pods on older Istio releases that show the same failure in the older log layouts.
 *
 * - shop: checkout (Deployment, 3, 1s, Istio 1.22), frontend (Deployment, 1, 10s), cart (native
 *   sidecar, JSON logs, 10s), cart-redis (StatefulSet, 1), loadgen (load-knob pod, 0 lines/s until set)
 * - identity: idp (Deployment, 2, Istio 1.12, 10s)
 * - legacy: billing (Istio 1.5, 1s, `[Envoy (Epoch 0)]` layout), invoices (Istio 1.12, 1s, tab
 *   layout), reports (no sidecar)
 * - istio-system: istiod (no sidecar), istio-cni-node (DaemonSet, no sidecar)
 */
export function buildIncidentScenario(model: MeshModel): void {
  for (const ns of ['shop', 'identity', 'legacy']) model.addNamespace(ns, { 'istio-injection': 'enabled' });
  model.addNamespace('istio-system');

  addDeployment(model, { namespace: 'shop', name: 'checkout', replicas: 3, sidecar: () => failing(INCIDENT_VERSIONS.current) });
  addDeployment(model, { namespace: 'shop', name: 'frontend', replicas: 1, sidecar: () => healthy(INCIDENT_VERSIONS.current) });
  addDeployment(model, { namespace: 'shop', name: 'cart', replicas: 1, sidecar: () => healthy(INCIDENT_VERSIONS.current, { native: true, logAsJson: true }) });
  addStatefulSet(model, {
    namespace: 'shop',
    name: 'cart-redis',
    replicas: 1,
    containers: [{ name: 'redis', image: 'docker.io/library/redis:7.2', port: 6379 }],
    sidecar: () => healthy(INCIDENT_VERSIONS.current),
  });
  addDeployment(model, { namespace: 'shop', name: 'loadgen', replicas: 1, sidecar: () => healthy(INCIDENT_VERSIONS.current) });

  addDeployment(model, { namespace: 'identity', name: 'idp', replicas: 2, sidecar: () => healthy(INCIDENT_VERSIONS.tabbed) });

  addDeployment(model, { namespace: 'legacy', name: 'billing', replicas: 1, sidecar: () => failing(INCIDENT_VERSIONS.epoch) });
  addDeployment(model, { namespace: 'legacy', name: 'invoices', replicas: 1, sidecar: () => failing(INCIDENT_VERSIONS.tabbed) });
  addDeployment(model, {
    namespace: 'legacy',
    name: 'reports',
    replicas: 1,
    annotations: { 'sidecar.istio.io/inject': 'false' },
  });

  addDeployment(model, {
    namespace: 'istio-system',
    name: 'istiod',
    replicas: 1,
    containers: [{ name: 'discovery', image: `docker.io/istio/pilot:${INCIDENT_VERSIONS.current}`, port: 15010 }],
  });
  addDaemonSet(model, {
    namespace: 'istio-system',
    name: 'istio-cni-node',
    replicas: 2,
    containers: [{ name: 'install-cni', image: `docker.io/istio/install-cni:${INCIDENT_VERSIONS.current}` }],
  });
}
