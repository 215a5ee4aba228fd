import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { findOverridingDestinationRules, findSettingForHost, sameConfiguration, type LocatedSetting } from '../../../../src/core/lint';
import { lintFixture, lintText } from './fixtures';

/** Every setting of the demo workspace's manifests, as the editor collects them. */
function workspaceSettings(): LocatedSetting[] {
  return fs
    .readdirSync(lintFixture('.'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((name) => lintText(fs.readFileSync(lintFixture(name), 'utf8')).settings.map((setting) => ({ file: name, setting })));
}

const destinationRule = (name: string, namespace: string, host: string, value: string): LocatedSetting[] =>
  lintText(
    `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}, namespace: ${namespace}}\n` +
      `spec: {host: "${host}", trafficPolicy: {connectionPool: {tcp: {connectTimeout: ${value}}}}}\n`,
  ).settings.map((setting) => ({ file: `${name}.yaml`, setting }));

describe('precedence between mesh-wide values and DestinationRules', () => {
  const all = workspaceSettings();
  const operator = all.find((s) => s.setting.site === 'IstioOperator');

  it('lists the DestinationRules that override a mesh-wide value', () => {
    assert.ok(operator);
    const overriding = findOverridingDestinationRules(operator.setting, all);
    assert.deepEqual(
      overriding.map((s) => [s.file, s.setting.host, s.setting.value]),
      [
        ['idp-destination-rule.yaml', 'idp.example.com', '1s'],
        ['ledger-destination-rule.yaml', 'ledger', '"15s"'],
        ['ledger-destination-rule.yaml', 'ledger', '30s'],
        ['ledger-destination-rule.yaml', 'ledger', "'12s'"],
      ],
    );
  });

  it('lists nothing for settings that are not mesh-wide, nor invalid rules that Istio rejects', () => {
    const rule = all.find((s) => s.setting.site === 'DestinationRule');
    const legacy = all.find((s) => s.setting.site === 'LegacyProxyConfig');
    assert.ok(rule && legacy && operator);
    assert.deepEqual(findOverridingDestinationRules(rule.setting, all), []);
    assert.deepEqual(findOverridingDestinationRules(legacy.setting, all), []);
    assert.deepEqual(findOverridingDestinationRules(operator.setting, destinationRule('bad', 'x', 'bad', '10')), []);
  });

  it('finds the DestinationRule for a host by FQDN or by short name in its namespace', () => {
    assert.equal(findSettingForHost('idp.example.com', null, all)?.file, 'idp-destination-rule.yaml');
    const ledgerFqdn = findSettingForHost('ledger.payments.svc.cluster.local', null, all);
    assert.equal(ledgerFqdn?.setting.path, 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', 'the whole-policy value, not a subset');
    assert.equal(findSettingForHost('ledger', 'payments', all)?.setting.value, '"15s"');
    assert.equal(findSettingForHost('ledger', 'other', all)?.setting.site, 'IstioOperator', 'no rule for ledger.other: mesh-wide');
  });

  it('prefers exact hosts over wildcards, longer wildcards, then a rule in the client namespace', () => {
    const rules = [
      ...destinationRule('all', 'istio-system', '*', '2s'),
      ...destinationRule('wide', 'istio-system', '*.example.com', '3s'),
      ...destinationRule('narrow', 'istio-system', '*.api.example.com', '4s'),
      ...destinationRule('exact-root', 'istio-system', 'pay.api.example.com', '5s'),
      ...destinationRule('exact-client', 'shop', 'pay.api.example.com', '6s'),
    ];
    assert.equal(findSettingForHost('pay.api.example.com', 'shop', rules)?.file, 'exact-client.yaml');
    assert.equal(findSettingForHost('pay.api.example.com', null, rules)?.file, 'exact-root.yaml');
    assert.equal(findSettingForHost('x.api.example.com', null, rules)?.file, 'narrow.yaml');
    assert.equal(findSettingForHost('www.example.com', null, rules)?.file, 'wide.yaml');
    assert.equal(findSettingForHost('example.org', null, rules)?.file, 'all.yaml');
  });

  it('returns null when nothing in the workspace sets the timeout', () => {
    assert.equal(findSettingForHost('idp.example.com', null, []), null);
  });
});

describe('precedence links stay within one configuration', () => {
  it('joins a mesh config with DestinationRules in its folder, below it or beside it, not across unrelated test folders', () => {
    assert.equal(sameConfiguration('istio/values.yaml', 'apps/cart/dr.yaml'), true, 'a top-level istio/ folder next to apps/');
    assert.equal(sameConfiguration('values.yaml', 'deep/down/dr.yaml'), true);
    assert.equal(sameConfiguration('clusters/prod/istio/iop.yaml', 'clusters/prod/apps/dr.yaml'), true);
    assert.equal(sameConfiguration('istioctl/pkg/kubeinject/testdata/istio-operator.yaml', 'tests/testdata/config/destination-rule-all.yaml'), false);
    assert.equal(sameConfiguration('clusters/prod/istio/iop.yaml', 'clusters/staging/apps/dr.yaml'), false);
  });
});
