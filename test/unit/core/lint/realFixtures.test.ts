import * as assert from 'node:assert/strict';
import { ENVOY_CONNECT_TIMEOUT_DOCS, ISTIO_MESH_CONFIG_DOCS, ISTIO_TCP_SETTINGS_DOCS } from '../../../../src/core/lint';
import { lintFile, sharedFixture, span } from './fixtures';

const real = (name: string): string => sharedFixture(`real/istio/${name}`);

describe('lintManifest on real Istio manifests', () => {
  it("flags the incident's IstioOperator connectTimeout: 1s as a warning with a fix to 10s", () => {
    const result = lintFile(real('istioctl-kubeinject-istio-operator.yaml'));
    assert.equal(result.isIstio, true);
    assert.equal(result.findings.length, 1);
    const [finding] = result.findings;
    assert.equal(finding.code, 'connect-timeout-low');
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.site, 'IstioOperator');
    assert.deepEqual(span(finding.range), [11, 20, 11, 22]);
    assert.equal(finding.seconds, 1);
    assert.equal(finding.summary, 'connectTimeout 1s is below 10s: TLS handshakes slower than this are reset');
    assert.match(finding.message, /TLS handshake/);
    assert.match(finding.message, /Connection reset/);
    assert.match(finding.message, /mesh-wide default/);
    assert.deepEqual(finding.fix, { replacement: '10s', title: 'Raise to 10s' });
    assert.deepEqual(finding.docs, [ISTIO_MESH_CONFIG_DOCS, ENVOY_CONNECT_TIMEOUT_DOCS]);
    assert.deepEqual(finding.resource, { kind: 'IstioOperator', name: 'test', namespace: 'istio-system' });
  });

  it('flags the DestinationRule 6s and nothing in the ServiceEntry or the subsets', () => {
    const result = lintFile(real('tests-destination-rule-all.yaml'));
    assert.equal(result.settings.length, 1);
    const [finding] = result.findings;
    assert.equal(finding.value, '6s');
    assert.deepEqual(span(finding.range), [34, 24, 34, 26]);
    assert.equal(finding.host, 'destall.default.svc.cluster.local');
    assert.deepEqual(finding.docs, [ISTIO_TCP_SETTINGS_DOCS, ENVOY_CONNECT_TIMEOUT_DOCS]);
  });

  it('flags both EnvoyFilter CLUSTER patches with 0.5s and ignores the Lua filters', () => {
    const result = lintFile(real('analyzers-envoy-filter-patch-operation.yaml'));
    assert.deepEqual(
      result.findings.map((f) => [f.resource.name, f.path, f.value, span(f.range)]),
      [
        ['test-patch-1', 'spec.configPatches[1].patch.value.connect_timeout', '0.5s', [45, 25, 45, 29]],
        ['test-patch-2', 'spec.configPatches[1].patch.value.connect_timeout', '0.5s', [109, 25, 109, 29]],
      ],
    );
    assert.equal(result.findings[0].summary, 'connect_timeout 0.5s is below 10s: TLS handshakes slower than this are reset');
  });

  it('leaves the rate-limit sample at 10s alone while still recording the setting', () => {
    const result = lintFile(real('samples-productpage_envoy_ratelimit.yaml'));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.settings.map((s) => [s.value, s.seconds]), [['10s', 10]]);
  });

  it('marks the legacy defaultConfig.connectTimeout of a bare MeshConfig as having no effect', () => {
    const result = lintFile(real('istioctl-kubeinject-mesh-config.yaml'));
    assert.deepEqual(
      result.findings.map((f) => [f.code, f.severity, f.site, f.path, span(f.range), f.fix]),
      [['connect-timeout-ignored-field', 'information', 'LegacyProxyConfig', 'defaultConfig.connectTimeout', [10, 18, 10, 20], null]],
    );
  });

  it('honours a lower minimum', () => {
    assert.deepEqual(lintFile(real('tests-destination-rule-all.yaml'), 5).findings, []);
  });
});
