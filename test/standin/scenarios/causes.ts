import { INJECTOR_COMPONENT_LOG_LEVEL } from '../envoy/proxy';
import { STAND_IN_CAUSES, type StandInCause, causeSidecar, causeTarget } from '../logs/causeCalls';
import { type MeshModel } from '../model/meshModel';
import { PROXY_CONFIG_ANNOTATION } from '../model/meshConfig';
import { type ContainerSpec } from '../model/types';
import { INCIDENT_VERSIONS } from './incident';
import { addDeployment } from './workloads';

export const CAUSES_NAMESPACE = 'causes';

/** The runtime each cause pod's app is written in (its image; its log layout is in logs/causeCalls.ts). */
const IMAGES: Readonly<Record<StandInCause, string>> = {
  'connect-timeout': 'registry.example.com/finance/posting-batcher:1.9.0',
  'connection-refused': 'registry.example.com/storefront/web:3.2.0',
  'tls-failure': 'registry.example.com/platform/config-loader:0.14.2',
  'no-healthy-upstream': 'registry.example.com/shop/storefront:2.4.1',
  'circuit-breaker': 'registry.example.com/platform/reserver:1.3.0',
  'no-route': 'registry.example.com/pricing/rates-sync:2.0.3',
  'idle-timeout': 'registry.example.com/payments/checkout-web:5.1.0',
  'max-duration': 'registry.example.com/crm/crm-web:4.0.7',
  'upstream-reset': 'registry.example.com/reports/monthly:1.1.0',
  'proxy-shutdown': 'registry.example.com/storage/uploader:0.9.4',
  'upstream-connect-failure': 'registry.example.com/warehouse/orders:6.2.0',
  'downstream-closed': 'registry.example.com/bi/weekly-job:1.0.2',
};

/**
 * `causes` (namespace `causes`, injection on, access log on through a Telemetry resource): one
 * single-replica Deployment per cause the correlator names, named after the cause, each pod's
 * calls failing by that cause every 10 s (`proxy-shutdown`: once, as its sidecar exits). Pods
 * whose evidence is debug-only start those Envoy loggers at debug
 * (`sidecar.istio.io/componentLogLevel`), and every pod exports its destination cluster's stats
 * (`proxy.istio.io/config` proxyStatsMatcher).
 */
export function buildCausesScenario(model: MeshModel): void {
  model.addNamespace(CAUSES_NAMESPACE, { 'istio-injection': 'enabled' });
  model.setAccessLogTelemetry(CAUSES_NAMESPACE, true);
  for (const cause of STAND_IN_CAUSES) {
    const { debugLoggers, envoyJson } = causeSidecar(cause);
    const componentLogLevel = [INJECTOR_COMPONENT_LOG_LEVEL, ...debugLoggers.map((l) => `${l}:debug`)].join(',');
    const statsRegexp = `cluster\\.${causeTarget(cause).cluster.replace(/[|.]/g, (c) => `\\${c}`)}\\..*`;
    const containers: ContainerSpec[] = [{ name: cause, image: IMAGES[cause], port: 8080 }];
    addDeployment(model, {
      namespace: CAUSES_NAMESPACE,
      name: cause,
      replicas: 1,
      containers,
      annotations: {
        ...(debugLoggers.length ? { 'sidecar.istio.io/componentLogLevel': componentLogLevel } : {}),
        [PROXY_CONFIG_ANNOTATION]: JSON.stringify({ proxyStatsMatcher: { inclusionRegexps: [statsRegexp] } }),
      },
      sidecar: () => ({ istioVersion: INCIDENT_VERSIONS.current, cause, componentLogLevel, ...(envoyJson ? { logAsJson: true } : {}) }),
    });
  }
}
