import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { lintFile, lintFixture, lintText, span, textAt } from './fixtures';

/** Lints `text` and returns `[path, site, value, range]` of every setting, after checking each range holds its value. */
function settingsOf(text: string): [string, string, string, number[]][] {
  const result = lintText(text);
  assert.deepEqual(result.problems, []);
  for (const s of result.settings) assert.equal(textAt(text, s.range), s.value, `range of ${s.path}`);
  return result.settings.map((s) => [s.path, s.site, s.value, span(s.range)]);
}

describe('lintManifest: where connect timeouts are set', () => {
  for (const version of ['v1', 'v1beta1', 'v1alpha3']) {
    it(`finds all four DestinationRule sites (networking.istio.io/${version})`, () => {
      const text = [
        `apiVersion: networking.istio.io/${version}`,
        'kind: DestinationRule',
        'metadata: {name: reviews, namespace: bookinfo}',
        'spec:',
        '  host: reviews',
        '  trafficPolicy:',
        '    connectionPool:',
        '      tcp:',
        '        connectTimeout: 1s',
        '    portLevelSettings:',
        '    - port: {number: 9080}',
        '      connectionPool:',
        '        tcp: {connectTimeout: 2s}',
        '  subsets:',
        '  - name: v1',
        '    trafficPolicy:',
        '      connectionPool: {tcp: {connectTimeout: "3s"}}',
        '      portLevelSettings:',
        '      - connectionPool:',
        '          tcp:',
        "            connectTimeout: '4s'",
      ].join('\n');
      assert.deepEqual(settingsOf(text), [
        ['spec.trafficPolicy.connectionPool.tcp.connectTimeout', 'DestinationRule', '1s', [8, 24, 8, 26]],
        ['spec.trafficPolicy.portLevelSettings[0].connectionPool.tcp.connectTimeout', 'DestinationRule', '2s', [12, 30, 12, 32]],
        ['spec.subsets[0].trafficPolicy.connectionPool.tcp.connectTimeout', 'DestinationRule', '"3s"', [16, 45, 16, 49]],
        ['spec.subsets[0].trafficPolicy.portLevelSettings[0].connectionPool.tcp.connectTimeout', 'DestinationRule', "'4s'", [20, 28, 20, 32]],
      ]);
      const result = lintText(text);
      assert.deepEqual(result.findings.map((f) => f.host), ['reviews', 'reviews', 'reviews', 'reviews']);
      assert.deepEqual(result.findings[0].resource, { kind: 'DestinationRule', name: 'reviews', namespace: 'bookinfo' });
    });
  }

  it('ignores DestinationRules of other API groups and versions', () => {
    const text = 'apiVersion: networking.example.com/v1\nkind: DestinationRule\nspec:\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n';
    assert.deepEqual(lintText(text).settings, []);
  });

  it('finds both Sidecar sites', () => {
    const file = lintFixture('sidecar.yaml');
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(settingsOf(text), [
      ['spec.inboundConnectionPool.tcp.connectTimeout', 'Sidecar', '5s', [11, 22, 11, 24]],
      ['spec.ingress[0].connectionPool.tcp.connectTimeout', 'Sidecar', '2s', [20, 24, 20, 26]],
    ]);
    assert.deepEqual(lintFile(file).findings.map((f) => f.code), ['connect-timeout-low', 'connect-timeout-low']);
  });

  it('finds the mesh-wide IstioOperator value and the one under spec.values.meshConfig', () => {
    assert.deepEqual(settingsOf(fs.readFileSync(lintFixture('istio-operator.yaml'), 'utf8')), [
      ['spec.meshConfig.connectTimeout', 'IstioOperator', '1s', [11, 20, 11, 22]],
    ]);
    const text = 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  values:\n    meshConfig:\n      connectTimeout: 2s\n';
    assert.deepEqual(settingsOf(text), [['spec.values.meshConfig.connectTimeout', 'IstioOperator', '2s', [5, 22, 5, 24]]]);
  });

  it('finds meshConfig in Helm values files, with or without global, and in the 1.22+ defaults wrapper', () => {
    assert.deepEqual(settingsOf(fs.readFileSync(lintFixture('istiod-values.yaml'), 'utf8')), [
      ['meshConfig.connectTimeout', 'HelmValues', '3s', [5, 18, 5, 20]],
    ]);
    const withGlobal = 'global:\n  hub: docker.io/istio\nmeshConfig:\n  connectTimeout: 1s\n';
    assert.deepEqual(settingsOf(withGlobal), [['meshConfig.connectTimeout', 'HelmValues', '1s', [3, 18, 3, 20]]]);
    const wrapped = '_internal_defaults_do_not_set:\n  meshConfig:\n    connectTimeout: 1s\n';
    assert.deepEqual(settingsOf(wrapped), [
      ['_internal_defaults_do_not_set.meshConfig.connectTimeout', 'HelmValues', '1s', [2, 20, 2, 22]],
    ]);
  });

  it('finds data.mesh values in the istio ConfigMap, mapped into the outer file', () => {
    assert.deepEqual(settingsOf(fs.readFileSync(lintFixture('mesh-configmap.yaml'), 'utf8')), [
      ['data.mesh.connectTimeout', 'MeshConfigMap', '2s', [9, 20, 9, 22]],
      ['data.mesh.defaultConfig.connectTimeout', 'LegacyProxyConfig', '1s', [12, 22, 12, 24]],
    ]);
  });

  it('accepts revisioned mesh ConfigMaps and ignores other ConfigMaps', () => {
    const configMap = (name: string): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mesh: |\n    connectTimeout: 1s\n`;
    assert.deepEqual(settingsOf(configMap('istio-1-24')), [['data.mesh.connectTimeout', 'MeshConfigMap', '1s', [6, 20, 6, 22]]]);
    assert.deepEqual(lintText(configMap('checkout-config')).settings, []);
    assert.deepEqual(lintText(configMap('istio-')).settings, []);
  });

  it('finds EnvoyFilter CLUSTER patches in either spelling, not other patches or Lua text', () => {
    const text = fs.readFileSync(lintFixture('envoy-filter.yaml'), 'utf8');
    assert.deepEqual(settingsOf(text), [
      ['spec.configPatches[1].patch.value.connect_timeout', 'EnvoyFilter', '"0.250s"', [31, 25, 31, 33]],
    ]);
    const camel = [
      'apiVersion: networking.istio.io/v1alpha3',
      'kind: EnvoyFilter',
      'spec:',
      '  configPatches:',
      '  - applyTo: LISTENER',
      '    patch: {value: {connect_timeout: 1s}}',
      '  - applyTo: CLUSTER',
      '    match: {cluster: {service: idp.example.com}}',
      '    patch: {operation: MERGE, value: {connectTimeout: 1s}}',
    ].join('\n');
    assert.deepEqual(settingsOf(camel), [['spec.configPatches[1].patch.value.connectTimeout', 'EnvoyFilter', '1s', [8, 54, 8, 56]]]);
    assert.equal(lintText(camel).settings[0].host, 'idp.example.com');
  });

  it('finds the legacy defaultConfig field in IstioOperator, Helm values and a bare MeshConfig', () => {
    const operator = 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  meshConfig:\n    defaultConfig:\n      connectTimeout: 1s\n';
    assert.deepEqual(settingsOf(operator), [['spec.meshConfig.defaultConfig.connectTimeout', 'LegacyProxyConfig', '1s', [5, 22, 5, 24]]]);
    const values = 'meshConfig:\n  defaultConfig:\n    connectTimeout: 1s\n';
    assert.deepEqual(settingsOf(values), [['meshConfig.defaultConfig.connectTimeout', 'LegacyProxyConfig', '1s', [2, 20, 2, 22]]]);
    const bare = 'trustDomain: cluster.local\nconnectTimeout: 1s\ndefaultConfig:\n  connectTimeout: 2s\n';
    assert.deepEqual(settingsOf(bare), [
      ['connectTimeout', 'MeshConfig', '1s', [1, 16, 1, 18]],
      ['defaultConfig.connectTimeout', 'LegacyProxyConfig', '2s', [3, 18, 3, 20]],
    ]);
    const finding = lintText(values).findings[0];
    assert.equal(finding.code, 'connect-timeout-ignored-field');
    assert.equal(finding.severity, 'information');
    assert.equal(finding.fix, null);
    assert.match(finding.message, /move the setting: meshConfig\.connectTimeout/);
  });

  it('stays silent on connect timeouts that are not Istio configuration', () => {
    const result = lintFile(lintFixture('app-configmap.yaml'));
    assert.deepEqual(result.settings, []);
    assert.deepEqual(result.findings, []);
    assert.equal(result.isIstio, false);
    const appConfig = 'database:\n  url: jdbc:postgresql://db\nconnectTimeout: 1s\nhttp:\n  connectTimeout: 1s\n';
    assert.deepEqual(lintText(appConfig).settings, []);
  });
});
