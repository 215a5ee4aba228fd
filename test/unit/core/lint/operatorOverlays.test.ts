/**
 * IstioOperator `spec.components.*.k8s.overlays` patches of the mesh ConfigMap. The overlay shape
 * (kind, name, patches of dotted `path` and `value`, `value: |` for a multi-line value) is the one
 * of istio/istio's operator testdata (operator/cmd/mesh/testdata/manifest-generate/input/
 * pilot_override_kubernetes.yaml, also in test/fixtures/realistic/config/cases/iop-k8s-overlays),
 * here aimed at the `istio` ConfigMap's `data.mesh`, which the operator renders from meshConfig.
 */
import * as assert from 'node:assert/strict';
import { lintManifest } from '../../../../src/core/lint';
import { lintText, span } from './fixtures';

const OPERATOR = `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  namespace: istio-system
  name: control-plane
spec:
  profile: default
  components:
    pilot:
      enabled: true
      k8s:
        overlays:
          - kind: Deployment
            name: istiod
            patches:
              - path: spec.template.spec.containers.[name:discovery].args.[30m]
                value: "60m"
          - kind: ConfigMap
            name: istio
            patches:
              # Replace the whole mesh config (note | on value: first line)
              - path: data.mesh
                value: |
                  connectTimeout: 1s
                  defaultConfig:
                    holdApplicationUntilProxyStarts: true
                    terminationDrainDuration: 40s
    ingressGateways:
      - name: istio-ingressgateway
        enabled: true
        k8s:
          overlays:
            - kind: ConfigMap
              name: istio-canary
              patches:
                - path: data.mesh
                  value: "connectTimeout: 2s"
`;

describe('IstioOperator k8s.overlays patches of the mesh ConfigMap', () => {
  it('lints the patched data.mesh value with its exact range, in components and in gateway lists', () => {
    const found = lintText(OPERATOR).findings;
    assert.deepEqual(found.map((f) => [f.code, f.path, f.value, span(f.range)]), [
      ['connect-timeout-low', 'spec.components.pilot.k8s.overlays[1].patches[0].value.connectTimeout', '1s', [23, 34, 23, 36]],
      ['connect-timeout-low', 'spec.components.ingressGateways[0].k8s.overlays[0].patches[0].value.connectTimeout', '2s', [36, 42, 36, 44]],
    ]);
    assert.ok(found.every((f) => f.site === 'IstioOperator'), 'a mesh-wide value');
    assert.equal(OPERATOR.split('\n')[23].slice(34, 36), '1s');
    assert.equal(OPERATOR.split('\n')[36].slice(42, 44), '2s');
  });

  it('keeps the patched drain as a mesh fact for the cross-file drain rule, and adds no second start-up note', () => {
    const result = lintManifest(OPERATOR, { minimumSeconds: 10 });
    const drains = result.facts.meshConfigs.flatMap((m) => (m.drain === null ? [] : [[m.drain.value, span(m.drain.range)]]));
    assert.deepEqual(drains, [['40s', [26, 46, 26, 49]]]);
    assert.equal(result.findings.filter((f) => f.code === 'startup-order').length, 0, 'the operator sets no meshConfig of its own here');
  });

  it('ignores overlays of other ConfigMaps, other paths and values that are not strings', () => {
    const text = OPERATOR.replace('name: istio\n', 'name: kiali\n').replace('- path: data.mesh\n                  value: "connectTimeout: 2s"', '- path: data.meshNetworks\n                  value: "connectTimeout: 2s"');
    assert.deepEqual(lintText(text).findings, []);
    const mapValue = OPERATOR.replace('value: "connectTimeout: 2s"', 'value: {connectTimeout: 2s}');
    assert.equal(lintText(mapValue).findings.length, 1);
  });
});
