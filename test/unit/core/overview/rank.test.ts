import * as assert from 'node:assert/strict';
import { overviewQueries } from '../../../../src/core/overview/queries';
import { outboundClusterHost, rankOverview } from '../../../../src/core/overview/rank';
import { sparkline } from '../../../../src/core/overview/sparkline';
import type { PromSample } from '../../../../src/core/overview/types';

const failure = (ns: string, workload: string, destination: string, flags: string, value: number): PromSample => ({
  metric: { source_workload_namespace: ns, source_workload: workload, destination_service: destination, response_flags: flags },
  value,
});
const stat = (ns: string, workload: string, cluster: string, name: string, value: number): PromSample => ({
  metric: { source_workload_namespace: ns, source_workload: workload, cluster_name: cluster, stat: name },
  value,
});

describe('core/overview rankOverview', () => {
  it('UF,URX counts for both flags and once in the total; URX (a retry limit) never decides the cause', () => {
    const [row] = rankOverview({ failures: [failure('shop', 'checkout', 'idp.example.com', 'UF,URX', 0.6)], clusterStats: [], trend: [] });
    assert.deepEqual(row.responseFlags, { UF: 0.6, URX: 0.6 });
    assert.equal(row.ratePerSecond, 0.6);
    assert.equal(row.dominantFlag, 'UF');
    // Without Envoy's cluster stats (a default install) UF says only that the connect failed.
    assert.equal(row.cause, 'upstream-connect-failure');
  });

  it("the upstream cluster's connect timeouts make UF a connect timeout; the cluster is matched by host", () => {
    const [row] = rankOverview({
      failures: [failure('shop', 'checkout', 'idp.example.com', 'UF,URX', 0.6)],
      clusterStats: [stat('shop', 'checkout', 'outbound|443||idp.example.com', 'connect_timeout', 0.6), stat('shop', 'checkout', 'outbound|443||idp.example.com', 'connect_fail', 0.6)],
      trend: [],
    });
    assert.equal(row.cause, 'connect-timeout');
    assert.deepEqual(row.clusters, [{ cluster: 'outbound|443||idp.example.com', connectTimeoutsPerSecond: 0.6, connectFailuresPerSecond: 0.6, pendingOverflowPerSecond: 0, ejectionsPerSecond: 0 }]);
  });

  it('ranks worst first, sums flag combinations per row, and picks the dominant flag by rate', () => {
    const rows = rankOverview({
      failures: [
        failure('legacy', 'billing', 'idp.example.com', 'UF', 0.2),
        failure('shop', 'cart', 'redis.shop.svc.cluster.local', 'UO', 0.5),
        failure('shop', 'cart', 'redis.shop.svc.cluster.local', 'UH', 0.4),
        failure('shop', 'frontend', 'checkout.shop.svc.cluster.local', 'DC', 0.1),
      ],
      clusterStats: [],
      trend: [],
    });
    assert.deepEqual(rows.map((r) => [r.sourceWorkload, r.ratePerSecond, r.dominantFlag, r.cause]), [
      ['cart', 0.9, 'UO', 'circuit-breaker'],
      ['billing', 0.2, 'UF', 'upstream-connect-failure'],
      ['frontend', 0.1, 'DC', 'downstream-closed'],
    ]);
  });

  it('an upstream seen only in cluster stats gets a row; inbound clusters and unknown stats are ignored', () => {
    const rows = rankOverview({
      failures: [],
      clusterStats: [
        stat('shop', 'cart', 'outbound|6379||redis.shop.svc.cluster.local', 'pending_overflow', 0.3),
        stat('shop', 'cart', 'inbound|8080||', 'connect_fail', 9),
        stat('shop', 'cart', 'outbound|6379||redis.shop.svc.cluster.local', 'made_up', 9),
      ],
      trend: [],
    });
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].destination, rows[0].ratePerSecond, rows[0].dominantFlag, rows[0].cause], ['redis.shop.svc.cluster.local', 0.3, null, 'circuit-breaker']);
  });

  it('NaN, infinite and zero rates are no failure; missing labels read as unknown; ties break by name', () => {
    const rows = rankOverview({
      failures: [failure('b', 'w', 'd', 'UF', NaN), failure('b', 'w', 'd', 'UF', Infinity), { metric: { response_flags: 'NR' }, value: 0.1 }, failure('a', 'w', 'd', 'NR', 0.1)],
      clusterStats: [],
      trend: [],
    });
    assert.deepEqual(rows.map((r) => `${r.sourceNamespace}/${r.sourceWorkload}->${r.destination}`), ['a/w->d', 'unknown/unknown->unknown']);
  });

  it("attaches the trend series of the row's source and destination", () => {
    const [row] = rankOverview({
      failures: [failure('shop', 'checkout', 'idp.example.com', 'UF', 1)],
      clusterStats: [],
      trend: [{ metric: { source_workload_namespace: 'shop', source_workload: 'checkout', destination_service: 'idp.example.com' }, points: [[100, 0.5], [110, NaN]] }],
    });
    assert.deepEqual(row.series, [[100, 0.5], [110, 0]]);
  });

  it('outboundClusterHost reads Istio cluster names only', () => {
    assert.equal(outboundClusterHost('outbound|443||idp.example.com'), 'idp.example.com');
    assert.equal(outboundClusterHost('outbound|9080|v1|reviews.default.svc.cluster.local'), 'reviews.default.svc.cluster.local');
    assert.equal(outboundClusterHost('inbound|8080||'), null);
    assert.equal(outboundClusterHost('xds-grpc'), null);
  });
});

describe('core/overview queries and sparkline', () => {
  it('bounds every query with topk and rates over the window', () => {
    const q = overviewQueries({ minutes: 5, limit: 50 });
    for (const text of [q.failures, q.clusterStats, q.trend]) assert.match(text, /^topk\(50, /);
    assert.match(q.failures, /rate\(\{__name__=~"istio_requests_total\|istio_tcp_connections_closed_total",reporter="source",response_flags!="-",response_flags!=""\}\[5m\]\)/);
    assert.match(q.clusterStats, /label_replace\(rate\(envoy_cluster_upstream_cx_connect_timeout\{cluster_name=~"outbound\\\\\|\.\*"\}\[5m\]\), "stat", "connect_timeout", "", ""\)/);
    assert.equal(q.trendStepSeconds, 10);
  });

  it('draws a sparkline scaled to its maximum', () => {
    assert.equal(sparkline([0, 1, 2, 4]), '▁▃▅█');
    assert.equal(sparkline([0, 0]), '▁▁');
    assert.equal(sparkline([]), '');
  });

  it('fits a sparkline into a width, each character the highest value of its bucket', () => {
    assert.equal(sparkline([0, 1, 0, 0, 4, 0, 2, 2], 4), '▃▁█▅');
    assert.equal(sparkline([0, 1, 2], 8), '▁▅█', 'never wider than its points');
    assert.equal(sparkline(Array.from({ length: 30 }, (_, i) => i), 8).length, 8);
  });
});
