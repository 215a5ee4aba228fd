import * as assert from 'node:assert/strict';
import { badgeObservations, badgeQueries } from '../../../../src/core/overview/badges';
import { judgeCluster, summarizeVerdicts } from '../../../../src/core/envoy/clusterVerdict';
import type { ClusterObservation } from '../../../../src/core/envoy/clusterVerdict';
import type { PromSample } from '../../../../src/core/overview/types';

const scraped = (namespace: string, pod: string): PromSample => ({ metric: { namespace, pod }, value: 1 });
const stat = (namespace: string, pod: string, cluster: string, name: string, value: number): PromSample => ({ metric: { namespace, pod, cluster_name: cluster, stat: name }, value });
const flagged = (namespace: string, pod: string, destination: string, flags: string, value: number): PromSample => ({ metric: { namespace, pod, destination_service: destination, response_flags: flags }, value });

function causes(clusters: readonly ClusterObservation[] | undefined): string[] {
  assert.ok(clusters, 'the pod is scraped');
  return [...summarizeVerdicts(clusters.map((c) => judgeCluster(c, 10, null))).causes];
}

describe('core/overview badgeObservations', () => {
  it('a scraped pod without failures has no clusters; a pod Prometheus does not scrape is absent (read from its Envoy)', () => {
    const pods = badgeObservations({ scraped: [scraped('shop', 'cart-1')], clusterStats: [stat('shop', 'gone-1', 'outbound|443||idp.example.com', 'connectTimeouts', 4)], flags: [] });
    assert.deepEqual([...pods.keys()], ['shop/cart-1']);
    assert.deepEqual(pods.get('shop/cart-1'), []);
  });

  it('Envoy cluster stats decide an upstream they cover: UF with connect timeouts is a connect timeout, not a second problem', () => {
    const pods = badgeObservations({
      scraped: [scraped('shop', 'checkout-1')],
      clusterStats: [stat('shop', 'checkout-1', 'outbound|443||idp.example.com', 'connectTimeouts', 7), stat('shop', 'checkout-1', 'outbound|443||idp.example.com', 'connectFailures', 7)],
      flags: [flagged('shop', 'checkout-1', 'idp.example.com', 'UF,URX', 7)],
    });
    const clusters = pods.get('shop/checkout-1');
    assert.equal(clusters?.length, 1);
    assert.deepEqual(causes(clusters), ['connect-timeout']);
    assert.equal(clusters[0].connectTimeoutSeconds, null, 'Prometheus does not know the setting');
  });

  it('without cluster stats (Istio default), each flag counts where its cause counter would: UF, UO, UC; UF,URX once; NR on BlackHoleCluster', () => {
    const pods = badgeObservations({
      scraped: [scraped('legacy', 'billing-1')],
      clusterStats: [],
      flags: [
        flagged('legacy', 'billing-1', 'db.legacy.svc.cluster.local', 'UF,URX', 5),
        flagged('legacy', 'billing-1', 'db.legacy.svc.cluster.local', 'UF', 2),
        flagged('legacy', 'billing-1', 'api.legacy.svc.cluster.local', 'UO', 3),
        flagged('legacy', 'billing-1', 'cache.legacy.svc.cluster.local', 'UC', 1),
        flagged('legacy', 'billing-1', 'BlackHoleCluster', 'NR', 4),
        flagged('legacy', 'billing-1', 'slow.legacy.svc.cluster.local', 'DC', 9),
      ],
    });
    const clusters = pods.get('legacy/billing-1')!;
    const byName = new Map(clusters.map((c) => [c.name, c]));
    assert.equal(byName.get('db.legacy.svc.cluster.local')?.counters.connectFailures, 7);
    assert.equal(byName.get('api.legacy.svc.cluster.local')?.counters.pendingOverflows, 3);
    assert.equal(byName.get('cache.legacy.svc.cluster.local')?.counters.remoteResetsWithActiveRequests, 1);
    assert.equal(byName.get('BlackHoleCluster')?.counters.connections, 4);
    assert.ok(!byName.has('slow.legacy.svc.cluster.local'), 'a downstream close is no cluster problem');
    assert.deepEqual(causes(clusters).sort(), ['circuit-breaker', 'no-route', 'upstream-connect-failure', 'upstream-reset']);
  });

  it('zero healthy hosts and active ejections badge as no-healthy-upstream', () => {
    const pods = badgeObservations({
      scraped: [scraped('shop', 'cart-1')],
      clusterStats: [stat('shop', 'cart-1', 'outbound|80||a', 'membershipTotal', 3), stat('shop', 'cart-1', 'outbound|80||b', 'ejectionsActive', 1)],
      flags: [],
    });
    assert.deepEqual(causes(pods.get('shop/cart-1')), ['no-healthy-upstream']);
  });

  it('untrusted answers: unknown stat names, missing labels and non-numbers are skipped', () => {
    const pods = badgeObservations({
      scraped: [scraped('shop', 'cart-1'), { metric: { pod: 'x' }, value: 1 }],
      clusterStats: [stat('shop', 'cart-1', 'outbound|80||a', '__proto__', 3), stat('shop', 'cart-1', 'outbound|80||a', 'connectTimeouts', NaN), { metric: { namespace: 'shop', pod: 'cart-1' }, value: 2 }],
      flags: [flagged('shop', 'cart-1', 'a', '', 3), flagged('shop', 'cart-1', 'a', 'UF', -1)],
    });
    assert.deepEqual([...pods.keys()], ['shop/cart-1']);
    assert.deepEqual(pods.get('shop/cart-1'), []);
  });

  it('every query is bounded by topk, and the flags query reads the source reporter only', () => {
    const q = badgeQueries(500);
    assert.match(q.clusterStats, /^topk\(500, /);
    assert.match(q.flags, /^topk\(500, sum by \(namespace, pod, destination_service, response_flags\)/);
    assert.match(q.flags, /reporter="source"/);
  });
});
