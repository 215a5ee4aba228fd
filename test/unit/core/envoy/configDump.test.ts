import * as assert from 'node:assert/strict';
import { collectClusterConfigs } from '../../../../src/core/envoy/configDump';
import { readRealIstio } from './fixtures';

describe('collectClusterConfigs on real Istio dumps', () => {
  it('reads static 0.250s clusters and a dynamic EDS cluster without connect_timeout as default 5s (istioctl config_dump)', () => {
    const configs = collectClusterConfigs(JSON.parse(readRealIstio('istioctl-proxyconfig-config_dump.json')));
    assert.deepEqual([...configs.keys()].sort(), ['agent', 'inbound-vip|8000|http|httpbin.default.svc.cluster.local', 'prometheus_stats']);
    const agent = configs.get('agent')!;
    assert.equal(agent.type, 'STATIC');
    assert.equal(agent.connectTimeoutSeconds, 0.25);
    assert.equal(agent.connectTimeoutDefaulted, false);
    assert.equal(agent.isStatic, true);
    const vip = configs.get('inbound-vip|8000|http|httpbin.default.svc.cluster.local')!;
    assert.equal(vip.type, 'EDS');
    assert.equal(vip.connectTimeoutSeconds, 5);
    assert.equal(vip.connectTimeoutDefaulted, true);
    assert.equal(vip.isStatic, false);
    assert.equal((vip.raw as { name: string }).name, vip.name, 'keeps the original cluster object');
  });

  it('reads the Istio default 10s on an outbound subset cluster (describe http_config)', () => {
    const configs = collectClusterConfigs(JSON.parse(readRealIstio('istioctl-describe-http_config.json')));
    const c = configs.get('outbound|9080|v1|productpage.default.svc.cluster.local')!;
    assert.equal(c.type, 'EDS');
    assert.equal(c.connectTimeoutSeconds, 10);
  });

  it('tolerates the Go-struct CDS form: integer nanoseconds and numeric discovery types', () => {
    const configs = collectClusterConfigs(JSON.parse(readRealIstio('pilot-xds-none_cds.json')));
    assert.equal(configs.size, 8);
    for (const c of configs.values()) assert.equal(c.connectTimeoutSeconds, 1, c.name);
    assert.equal(configs.get('PassthroughCluster')!.type, 'ORIGINAL_DST');
    assert.equal(configs.get('outbound|2443||api1.facebook.com')!.type, 'STRICT_DNS');
    assert.equal(configs.get('BlackHoleCluster')!.type, 'STATIC');
  });

  it('reads an Envoy bootstrap: every cluster is static, xds-grpc has 1s', () => {
    const configs = collectClusterConfigs(JSON.parse(readRealIstio('bootstrap-default_golden.json')));
    assert.deepEqual([...configs.keys()].sort(), ['agent', 'prometheus_stats', 'sds-grpc', 'xds-grpc']);
    assert.equal(configs.get('xds-grpc')!.connectTimeoutSeconds, 1);
    assert.ok([...configs.values()].every((c) => c.isStatic));
  });

  it('reads the per-resource form of /config_dump?resource= and istioctl camelCase arrays', () => {
    const perResource = {
      configs: [
        { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster', cluster: { name: 'outbound|443||idp.example.com', type: 'STRICT_DNS', connect_timeout: '1s' } },
        { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.StaticCluster', cluster: { name: 'xds-grpc', type: 'STATIC', connect_timeout: '1s' } },
      ],
    };
    const configs = collectClusterConfigs(perResource);
    assert.equal(configs.get('outbound|443||idp.example.com')!.connectTimeoutSeconds, 1);
    assert.equal(configs.get('outbound|443||idp.example.com')!.isStatic, false);
    assert.equal(configs.get('xds-grpc')!.isStatic, true);
    const camel = collectClusterConfigs([{ name: 'outbound|443||cc-api.example.io', type: 'STRICT_DNS', connectTimeout: '1s' }]);
    assert.equal(camel.get('outbound|443||cc-api.example.io')!.connectTimeoutSeconds, 1);
  });

  it('reports an unparseable timeout as null instead of throwing, and ignores junk', () => {
    const configs = collectClusterConfigs([{ name: 'x', connect_timeout: 'soon' }, null, 42, { noName: true }]);
    assert.equal(configs.size, 1);
    assert.equal(configs.get('x')!.connectTimeoutSeconds, null);
    assert.equal(collectClusterConfigs('not a dump').size, 0);
  });
});
