import * as assert from 'node:assert/strict';
import { buildClusterRows, EnvoyPayloadError, isLowConnectTimeout } from '../../../../src/core/envoy/clusterRows';
import { parseClusterName } from '../../../../src/core/envoy/clusterName';
import { parseClusterStats, unknownCounters } from '../../../../src/core/envoy/stats';
import { collectClusterStatuses } from '../../../../src/core/envoy/clusterStatuses';
import { toClusterRowsError } from '../../../../src/kube/envoyAdmin';
import { KubeAccessError } from '../../../../src/kube/types';
import { readRealIstio } from './fixtures';

const IDP = 'outbound|443||idp.example.com';

const clustersJson = JSON.stringify({
  cluster_statuses: [
    {
      name: IDP,
      added_via_api: true,
      host_statuses: [
        { address: { socket_address: { address: '203.0.113.7', port_value: 443 } }, health_status: { eds_health_status: 'HEALTHY' } },
        { address: { socket_address: { address: '203.0.113.8', port_value: 443 } }, health_status: { failed_outlier_check: true, eds_health_status: 'HEALTHY' } },
      ],
    },
    { name: 'inbound|8080||', host_statuses: [{ address: { socket_address: { address: '127.0.0.6', port_value: 8080 } }, health_status: {} }] },
    { name: 'agent', host_statuses: [] },
  ],
});

const dynamicDump = JSON.stringify({
  configs: [
    { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster', cluster: { name: IDP, type: 'STRICT_DNS', connect_timeout: '1s' } },
    { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster', cluster: { name: 'inbound|8080||', type: 'ORIGINAL_DST', connect_timeout: '10s' } },
  ],
});

describe('Envoy cluster rows', () => {
  it('parses Istio cluster names into direction, port, subset and host', () => {
    assert.deepEqual(parseClusterName(IDP), { direction: 'outbound', port: 443, subset: null, host: 'idp.example.com' });
    assert.deepEqual(parseClusterName('outbound|9080|v1|productpage.default.svc.cluster.local'), { direction: 'outbound', port: 9080, subset: 'v1', host: 'productpage.default.svc.cluster.local' });
    assert.equal(parseClusterName('inbound|8080||').direction, 'inbound');
    assert.equal(parseClusterName('inbound-vip|8000|http|httpbin.default.svc.cluster.local').direction, 'other');
    assert.equal(parseClusterName('BlackHoleCluster').direction, 'other');
    assert.deepEqual(parseClusterName('outbound|http||'), { direction: 'outbound', port: null, subset: null, host: null }, 'a port that is not digits');
    assert.deepEqual(parseClusterName('outbound|0443|v1|a'), { direction: 'outbound', port: 443, subset: 'v1', host: 'a' });
    assert.deepEqual(parseClusterName('outbound|443||a|b'), { direction: 'other', port: null, subset: null, host: null }, 'more than four parts');
    assert.deepEqual(parseClusterName('outbound|443|'), { direction: 'other', port: null, subset: null, host: null }, 'fewer than four parts');
    assert.equal(parseClusterName('outbounds|443||a').direction, 'other');
    assert.equal(parseClusterName('inbounds|443||a').direction, 'other');
  });

  it('reads stats whose cluster names contain dots and pipes, in text and JSON form', () => {
    const text = [
      `cluster.${IDP}.upstream_cx_connect_timeout: 17`,
      `cluster.${IDP}.upstream_cx_connect_fail: 19`,
      'cluster.outbound|9080|v1|productpage.default.svc.cluster.local.upstream_cx_connect_fail: 0',
      'cluster.xds-grpc.upstream_cx_connect_fail: 2',
      'cluster_manager.cds.update_success: 3',
      '',
    ].join('\n');
    const fromText = parseClusterStats(text);
    assert.deepEqual(fromText.get(IDP), { ...unknownCounters(), connectTimeouts: 17, connectFailures: 19 });
    assert.deepEqual(fromText.get('outbound|9080|v1|productpage.default.svc.cluster.local'), { ...unknownCounters(), connectFailures: 0 });
    const known = new Set([IDP]);
    assert.deepEqual([...parseClusterStats(text, known).keys()], [IDP], 'only known clusters when names are given');
    const json = JSON.stringify({ stats: [{ name: `cluster.${IDP}.upstream_cx_connect_timeout`, value: 4 }, { histograms: {} }] });
    assert.deepEqual(parseClusterStats(json).get(IDP), { ...unknownCounters(), connectTimeouts: 4 });
  });

  it('reads endpoint health, letting an outlier ejection override EDS health', () => {
    const statuses = collectClusterStatuses(JSON.parse(clustersJson));
    assert.deepEqual(statuses.get(IDP)?.endpoints, [
      { address: '203.0.113.7:443', health: 'HEALTHY' },
      { address: '203.0.113.8:443', health: 'FAILED_OUTLIER_CHECK (ejected)' },
    ]);
    assert.deepEqual(statuses.get('inbound|8080||')?.endpoints, [{ address: '127.0.0.6:8080', health: 'UNKNOWN' }]);
  });

  it('names every failed check of a host, and skips hosts that are not objects', () => {
    const statuses = collectClusterStatuses({
      cluster_statuses: [{
        name: IDP,
        host_statuses: [null, { address: { pipe: { path: '/sock' } }, health_status: { failed_active_health_check: true, failed_outlier_check: true }, stats: [{ name: 'cx_connect_fail', value: '2' }] }, 7],
      }],
    });
    assert.deepEqual(statuses.get(IDP), {
      endpoints: [{ address: '/sock', health: 'FAILED_ACTIVE_HEALTH_CHECK, FAILED_OUTLIER_CHECK (ejected)' }],
      hostCounters: { connectFailures: 2, connections: 0, requestErrors: 0, requestTimeouts: 0 },
    });
  });

  it('joins clusters, config dumps and stats into rows and flags the 1s cluster as low', () => {
    const stats = `cluster.${IDP}.upstream_cx_connect_timeout: 17\ncluster.${IDP}.upstream_cx_connect_fail: 19\n`;
    const staticDump = readRealIstio('istioctl-proxyconfig-config_dump.json');
    const rows = buildClusterRows({ clusters: clustersJson, configDumps: [dynamicDump, staticDump], stats });
    const idp = rows.find((r) => r.name === IDP)!;
    assert.equal(idp.type, 'STRICT_DNS');
    assert.equal(idp.connectTimeoutSeconds, 1);
    assert.equal(isLowConnectTimeout(idp, 10), true);
    assert.equal(idp.connectTimeouts, 17);
    assert.equal(idp.connectFailures, 19);
    assert.equal(idp.host, 'idp.example.com');
    assert.equal(idp.endpoints.length, 2);
    const inbound = rows.find((r) => r.name === 'inbound|8080||')!;
    assert.equal(isLowConnectTimeout(inbound, 10), false);
    assert.equal(inbound.connectTimeouts, null, 'a counter absent from /stats is unknown, not zero');
    const agent = rows.find((r) => r.name === 'agent')!;
    assert.equal(agent.connectTimeoutSeconds, 0.25);
    assert.equal(isLowConnectTimeout(agent, 10), false, 'bootstrap clusters are never flagged');
    const vip = rows.find((r) => r.name.startsWith('inbound-vip|'))!;
    assert.equal(vip.connectTimeoutDefaulted, true);
    assert.equal(vip.endpoints.length, 0);
    assert.deepEqual(rows.map((r) => r.name), [...rows.map((r) => r.name)].sort());
  });

  // Envoy's /clusters?format=json always carries per-host counters (admin ClusterStatuses proto:
  // host_statuses[].stats, uint64 as strings, zeros left out; envoyproxy/envoy#5444), while the
  // default Istio stats matcher (pkg/bootstrap/testdata/default_golden.json) drops cluster stats.
  it('takes connect failures from the hosts\' cx_connect_fail when cluster stats are not exported, and says so', () => {
    const host = (ip: string, stats: { name: string; value?: string; type?: string }[]) => ({ address: { socket_address: { address: ip, port_value: 443 } }, stats, health_status: { eds_health_status: 'HEALTHY' } });
    const clusters = JSON.stringify({
      cluster_statuses: [
        { name: IDP, host_statuses: [host('203.0.113.7', [{ name: 'cx_connect_fail', value: '12' }, { name: 'cx_total', value: '15' }, { name: 'rq_error', value: '12' }, { name: 'cx_active', type: 'GAUGE' }]), host('203.0.113.8', [{ name: 'cx_connect_fail', value: '3' }, { name: 'cx_total', value: '4' }, { name: 'rq_timeout', value: '1' }])] },
        { name: 'BlackHoleCluster', host_statuses: [] },
      ],
    });
    const rows = buildClusterRows({ clusters, configDumps: [dynamicDump], stats: JSON.stringify({ stats: [{ name: 'cluster.xds-grpc.upstream_cx_total', value: 3 }] }) });
    const idp = rows.find((r) => r.name === IDP)!;
    assert.deepEqual([idp.connectTimeouts, idp.connectFailures, idp.connectFailuresSource], [null, 15, 'host-counters']);
    assert.deepEqual(idp.hostCounters, { connectFailures: 15, connections: 19, requestErrors: 12, requestTimeouts: 1 });
    const blackHole = rows.find((r) => r.name === 'BlackHoleCluster')!;
    assert.deepEqual([blackHole.connectFailures, blackHole.connectFailuresSource, blackHole.hostCounters], [null, null, null], 'no host, no signal');
    const withStats = buildClusterRows({ clusters, configDumps: [dynamicDump], stats: `cluster.${IDP}.upstream_cx_connect_timeout: 2\ncluster.${IDP}.upstream_cx_connect_fail: 2\n` });
    const fromStats = withStats.find((r) => r.name === IDP)!;
    assert.deepEqual([fromStats.connectTimeouts, fromStats.connectFailures, fromStats.connectFailuresSource], [2, 2, 'cluster-stats']);
  });

  it('names the payload that is not JSON', () => {
    let thrown: unknown;
    assert.throws(() => buildClusterRows({ clusters: '<html>', configDumps: [], stats: null }), (err: unknown) => {
      thrown = err;
      return err instanceof EnvoyPayloadError && /\/clusters/.test(err.message);
    });
    const explained = toClusterRowsError(thrown, 'read Envoy clusters');
    assert.ok(explained instanceof KubeAccessError);
    assert.match(explained.message, /\/clusters response is not valid JSON/);
    assert.ok(explained.remedy.kind === 'check' && /istio-proxy/.test(explained.remedy.advice));
  });
});
