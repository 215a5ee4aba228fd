/**
 * Precedence scoped as Istio scopes it: a DestinationRule overrides the mesh-wide connect timeout
 * only for clients in the namespaces it is applied from (its own namespace; `exportTo`, when it
 * sits in the host's namespace or the root namespace). The manifests are in the shape real
 * repositories write them: `exportTo: - "."` as hango-io/api-plane's
 * hango-api-plane-server/src/main/resources/template/gateway/api/destinationRule.ftl renders it,
 * namespaced rules as Istio's "Cross-namespace configuration" best practice shows
 * (istio.io/latest/docs/ops/best-practices/traffic-management/), and `rootNamespace` as
 * test/fixtures/realistic/config/cases/iop-merge-meshconfig (istio/istio operator testdata) sets it.
 */
import * as assert from 'node:assert/strict';
import { findOverridingDestinationRules, findSettingForHost, namespacesApplying, type LocatedSetting } from '../../../../src/core/lint';
import { lintText } from './fixtures';

const rule = (file: string, name: string, namespace: string, host: string, exportTo: string | null, value = '3s'): LocatedSetting[] =>
  lintText([
    'apiVersion: networking.istio.io/v1',
    'kind: DestinationRule',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'spec:',
    `  host: ${host}`,
    ...(exportTo === null ? [] : ['  exportTo:', ...exportTo.split(',').map((e) => `  - "${e}"`)]),
    '  trafficPolicy:',
    '    connectionPool:',
    '      tcp:',
    `        connectTimeout: ${value}`,
    '',
  ].join('\n')).settings.map((setting) => ({ file, setting }));

const operator = (rootNamespace: string | null): LocatedSetting[] =>
  lintText([
    'apiVersion: install.istio.io/v1alpha1',
    'kind: IstioOperator',
    'metadata:',
    '  namespace: istio-system',
    '  name: control-plane',
    'spec:',
    '  meshConfig:',
    ...(rootNamespace === null ? [] : [`    rootNamespace: ${rootNamespace}`]),
    '    connectTimeout: 5s',
    '',
  ].join('\n')).settings.map((setting) => ({ file: 'istio/operator.yaml', setting }));

describe('precedence scoped by exportTo and the root namespace', () => {
  it('reads exportTo from the rule and applies it as Istio does', () => {
    const [local] = rule('apps/reviews.yaml', 'reviews', 'bookinfo', 'reviews', '.');
    assert.deepEqual(local.setting.resource.exportTo, ['.']);
    assert.deepEqual(namespacesApplying(local.setting), ['bookinfo'], 'exportTo "." : only its own namespace');
    const [everywhere] = rule('apps/reviews.yaml', 'reviews', 'bookinfo', 'reviews', null);
    assert.equal(namespacesApplying(everywhere.setting), null, 'no exportTo: every namespace');
    const [named] = rule('apps/reviews.yaml', 'reviews', 'bookinfo', 'reviews.bookinfo.svc.cluster.local', '.,frontend');
    assert.deepEqual(namespacesApplying(named.setting), ['bookinfo', 'frontend']);
    const [nowhere] = rule('apps/reviews.yaml', 'reviews', 'bookinfo', 'reviews', '~');
    assert.deepEqual(namespacesApplying(nowhere.setting), []);
  });

  it('applies a rule exported from a third namespace only in that namespace: Istio reads exports of the host\'s and the root namespace only', () => {
    const [third] = rule('apps/shop/ratings.yaml', 'ratings', 'shop', 'ratings.bookinfo.svc.cluster.local', '*');
    assert.deepEqual(namespacesApplying(third.setting), ['shop']);
    const [fromRoot] = rule('istio/ratings.yaml', 'ratings', 'istio-system', 'ratings.bookinfo.svc.cluster.local', '*');
    assert.equal(namespacesApplying(fromRoot.setting), null);
    const [fromCustomRoot] = rule('istio/ratings.yaml', 'ratings', 'istio-config', 'ratings.bookinfo.svc.cluster.local', '*');
    assert.deepEqual(namespacesApplying(fromCustomRoot.setting), ['istio-config'], 'istio-config is not the root by default');
    assert.equal(namespacesApplying(fromCustomRoot.setting, 'istio-config'), null);
  });

  it('names the namespaces an override applies in, and drops rules exported nowhere', () => {
    const mesh = operator(null);
    const all = [...mesh, ...rule('apps/reviews.yaml', 'reviews', 'bookinfo', 'reviews', '.'), ...rule('apps/gone.yaml', 'gone', 'bookinfo', 'gone', '~')];
    const overriding = findOverridingDestinationRules(mesh[0].setting, all, mesh[0].file);
    assert.deepEqual(overriding.map((o) => [o.file, o.appliedFrom]), [['apps/reviews.yaml', ['bookinfo']]]);
  });

  it('uses the mesh config\'s rootNamespace for the root lookup', () => {
    const mesh = operator('istio-config');
    assert.equal(mesh[0].setting.meshRootNamespace, 'istio-config');
    const all = [...mesh, ...rule('istio/ratings.yaml', 'ratings', 'istio-config', 'ratings.bookinfo.svc.cluster.local', '*')];
    assert.deepEqual(findOverridingDestinationRules(mesh[0].setting, all).map((o) => o.appliedFrom), [null]);
    assert.equal(findSettingForHost('ratings.bookinfo.svc.cluster.local', 'frontend', all)?.file, 'istio/ratings.yaml');
  });

  it('finds the setting for a client as Istio looks it up: its namespace, then the host\'s exports, then the root\'s', () => {
    const all = [
      ...operator(null),
      ...rule('apps/reviews-local.yaml', 'reviews', 'bookinfo', 'reviews', '.', '4s'),
      ...rule('istio/reviews-root.yaml', 'reviews-root', 'istio-system', 'reviews.bookinfo.svc.cluster.local', null, '6s'),
      ...rule('apps/frontend/reviews.yaml', 'reviews-frontend', 'frontend', 'reviews.bookinfo.svc.cluster.local', '.', '7s'),
    ];
    assert.equal(findSettingForHost('reviews', 'bookinfo', all)?.file, 'apps/reviews-local.yaml');
    assert.equal(findSettingForHost('reviews.bookinfo.svc.cluster.local', 'frontend', all)?.file, 'apps/frontend/reviews.yaml', 'the client\'s own namespace first');
    assert.equal(findSettingForHost('reviews.bookinfo.svc.cluster.local', 'payments', all)?.file, 'istio/reviews-root.yaml', 'the local "." rule does not reach payments: the root one does');
    const withoutRoot = all.filter((l) => l.file !== 'istio/reviews-root.yaml');
    assert.equal(findSettingForHost('reviews.bookinfo.svc.cluster.local', 'payments', withoutRoot)?.setting.site, 'IstioOperator', 'no rule applies: the mesh value');
  });

  it('takes a templated or non-literal exportTo as exported everywhere (not known, so never narrowed)', () => {
    const text = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r, namespace: a}\n' +
      'spec:\n  host: r\n  exportTo: [{ns: x}]\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 3s}}}\n';
    const [setting] = lintText(text).settings;
    assert.equal(setting.resource.exportTo, undefined);
    assert.equal(namespacesApplying(setting), null);
  });
});
