/**
 * What decides startup-order in the layouts real installs use: a rendered install whose istiod
 * Deployment turns native sidecars on in another document of the file (kubeflow/manifests,
 * common/istio/istio-install/base/install.yaml, Apache-2.0), a Kustomize JSON patch of that env,
 * Helm values holding applications through global.proxy (istiod chart values.yaml), an injector's
 * rendered values JSON, the ambient profile, and a hold written under proxyMetadata by mistake
 * (mojaloop/iac-modules, gitops/applications/base/istio/istio-istiod-values.yaml).
 */
import * as assert from 'node:assert/strict';
import { lintManifest } from '../../../../src/core/lint';

const startupOrder = (text: string): string[] =>
  lintManifest(text, { minimumSeconds: 10 }).findings.filter((f) => f.code === 'startup-order').map((f) => `${f.range.start.line + 1} ${f.message}`);

const MESH_CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\n  labels:\n    istio.io/rev: default\ndata:\n  mesh: |-\n    defaultConfig:\n      discoveryAddress: istiod.istio-system.svc:15012\n    enablePrometheusMerge: true\n';
const ISTIOD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: istiod\n  namespace: istio-system\nspec:\n  template:\n    spec:\n      containers:\n      - name: discovery\n' +
  "        env:\n        - name: ENABLE_NATIVE_SIDECARS\n          value: 'true'\n";

describe('startup-order reads every document of the file and the values around the mesh config', () => {
  it('reports a rendered mesh ConfigMap alone, and not when the istiod Deployment in the same file turns native sidecars on', () => {
    assert.equal(startupOrder(MESH_CONFIGMAP).length, 1);
    assert.deepEqual(startupOrder(`${MESH_CONFIGMAP}---\n${ISTIOD}`), []);
    assert.deepEqual(startupOrder(`${ISTIOD}---\n${MESH_CONFIGMAP}`), []);
  });

  it('takes native sidecars from a Kustomize JSON patch of istiod\'s env', () => {
    const patch = 'patches:\n- target:\n    kind: Deployment\n    name: istiod\n  patch: |-\n    [{"op": "replace", "path": "/spec/template/spec/containers/0/env",\n' +
      '      "value": [{"name": "ENABLE_NATIVE_SIDECARS", "value": "true"}]}]\n';
    assert.deepEqual(startupOrder(`${MESH_CONFIGMAP}---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${patch}`), []);
  });

  it('takes the values\' global.proxy.holdApplicationUntilProxyStarts, and a rendered injector\'s values JSON', () => {
    const values = (hold: string): string => `global:\n  proxy:\n    holdApplicationUntilProxyStarts: ${hold}\nmeshConfig:\n  enablePrometheusMerge: true\n`;
    assert.equal(startupOrder(values('false')).length, 1);
    assert.deepEqual(startupOrder(values('true')), []);
    const injector = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio-sidecar-injector\ndata:\n  values: |-\n    {"global": {"proxy": {"holdApplicationUntilProxyStarts": true}}}\n';
    assert.deepEqual(startupOrder(`${MESH_CONFIGMAP}---\n${injector}`), []);
  });

  it('does not report an ambient install, whose ztunnel carries traffic before pods start', () => {
    assert.deepEqual(startupOrder('profile: ambient\nmeshConfig:\n  accessLogFile: /dev/stdout\n'), []);
  });

  it('says when holdApplicationUntilProxyStarts sits under proxyMetadata, where Istio does not read it', () => {
    const found = startupOrder('meshConfig:\n  defaultConfig:\n    proxyMetadata:\n      ISTIO_META_DNS_CAPTURE: "true"\n      holdApplicationUntilProxyStarts: true\n');
    assert.equal(found.length, 1);
    assert.match(found[0], /^1 .*sits under defaultConfig\.proxyMetadata/);
  });
});
