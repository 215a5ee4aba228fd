import * as assert from 'node:assert/strict';
import { type ClusterObservation, clusterRates, clusterTotals, judgeCluster, summarizePods, summarizeVerdicts } from '../../../../src/core/envoy/clusterVerdict';
import { formatRate, ratePerMinute } from '../../../../src/core/envoy/counterRates';
import { unknownCounters } from '../../../../src/core/envoy/stats';
import type { ClusterCounters, HostCounters } from '../../../../src/core/envoy/types';

const IDP = 'outbound|443||idp.example.com';

function cluster(overrides: Partial<Omit<ClusterObservation, 'counters'>> & { counters?: Partial<ClusterCounters> } = {}): ClusterObservation {
  return {
    name: IDP,
    isStatic: false,
    connectTimeoutSeconds: 10,
    connectTimeoutDefaulted: false,
    hostCounters: null,
    ...overrides,
    counters: { ...unknownCounters(), ...overrides.counters },
  };
}

const hosts = (connectFailures: number, connections: number): HostCounters => ({ connectFailures, connections, requestErrors: connectFailures, requestTimeouts: 0 });

describe('rates from two readings', () => {
  it('is the increase per minute, and null when it says nothing', () => {
    assert.equal(ratePerMinute({ atMs: 0, value: 145 }, { atMs: 60_000, value: 157 }), 12);
    assert.equal(ratePerMinute({ atMs: 0, value: 10 }, { atMs: 120_000, value: 11 }), 0.5);
    assert.equal(ratePerMinute(null, { atMs: 60_000, value: 3 }), null, 'one reading');
    assert.equal(ratePerMinute({ atMs: 0, value: 3 }, { atMs: 5_000, value: 4 }), null, 'too close together');
    assert.equal(ratePerMinute({ atMs: 0, value: 300 }, { atMs: 60_000, value: 2 }), null, 'the sidecar restarted: counters began again');
    assert.equal(ratePerMinute({ atMs: 0, value: null }, { atMs: 60_000, value: 2 }), null);
    assert.deepEqual([formatRate(12.4), formatRate(0.25), formatRate(0)], ['+12/min', '+0.3/min', '+0/min']);
  });

  it('rates every cause counter of a cluster, the hosts\' counters standing in for missing stats', () => {
    const before = { atMs: 0, totals: clusterTotals(cluster({ hostCounters: hosts(100, 120) })) };
    const after = { atMs: 30_000, totals: clusterTotals(cluster({ hostCounters: hosts(106, 126) })) };
    const rates = clusterRates(before, after);
    assert.equal(rates.connectFailures, 12);
    assert.equal(rates.connections, 12);
    assert.equal(rates.connectTimeouts, null, 'not exported');
  });
});

describe('cluster verdicts (row text and badges)', () => {
  it('leads with the timeout and the numbers: `1s ⚠ · 157 timeouts (+12/min)`', () => {
    const c = cluster({ connectTimeoutSeconds: 1, counters: { connectTimeouts: 157, connectFailures: 157, connections: 170 } });
    const v = judgeCluster(c, 10, { ...clusterRates(null, { atMs: 0, totals: clusterTotals(c) }), connectTimeouts: 12, connectFailures: 12 });
    assert.equal(v.severity, 'problem');
    assert.equal(v.lead, '1s ⚠ · 157 timeouts (+12/min)');
    assert.deepEqual(v.findings.map((f) => f.cause), ['connect-timeout', 'connect-timeout']);
  });

  it('flags a low timeout without traffic dimly, not as a warning, and Envoy\'s default as such', () => {
    const idle = judgeCluster(cluster({ connectTimeoutSeconds: 1, counters: { connections: 0 } }), 10, null);
    assert.equal(idle.severity, 'quiet');
    assert.equal(idle.lead, '1s (low, no traffic)');
    const defaulted = judgeCluster(cluster({ connectTimeoutSeconds: 5, connectTimeoutDefaulted: true, hostCounters: hosts(0, 0) }), 10, null);
    assert.equal(defaulted.severity, 'quiet');
    assert.equal(defaulted.lead, '5s default (low, no traffic)');
    const unknown = judgeCluster(cluster({ connectTimeoutSeconds: 1 }), 10, null);
    assert.equal(unknown.lead, '1s (low, traffic unknown)');
  });

  it('on Istio\'s default stats matcher, attributes the hosts\' connect failures to a low timeout', () => {
    const v = judgeCluster(cluster({ connectTimeoutSeconds: 1, hostCounters: hosts(42, 50) }), 10, null);
    assert.equal(v.lead, '1s ⚠ · 42 connect fails');
    assert.deepEqual([...new Set(v.findings.map((f) => f.cause))], ['connect-timeout']);
    const fine = judgeCluster(cluster({ hostCounters: hosts(3, 50) }), 10, null);
    assert.deepEqual(fine.findings.map((f) => [f.cause, f.text]), [['upstream-connect-failure', '3 connect fails']]);
  });

  it('names each cause the stats can show', () => {
    const cases: [Partial<ClusterCounters>, string, string][] = [
      [{ pendingOverflows: 9 }, 'circuit-breaker', '9 pending overflows'],
      [{ ejectionsActive: 2 }, 'no-healthy-upstream', '2 ejected'],
      [{ membershipHealthy: 0, membershipTotal: 3 }, 'no-healthy-upstream', '0/3 healthy'],
      [{ tlsConnectionErrors: 4 }, 'tls-failure', '4 TLS errors'],
      [{ remoteResetsWithActiveRequests: 7 }, 'upstream-reset', '7 remote resets'],
      [{ connectTimeouts: 2, connectFailures: 5 }, 'upstream-connect-failure', '3 other connect fails'],
    ];
    for (const [counters, cause, text] of cases) {
      const v = judgeCluster(cluster({ counters }), 10, null);
      const f = v.findings.find((x) => x.cause === cause);
      assert.ok(f, `${cause} from ${JSON.stringify(counters)}`);
      assert.equal(f.text, text);
      assert.equal(v.severity, 'problem');
    }
    const blackHole = judgeCluster(cluster({ name: 'BlackHoleCluster', counters: { connections: 12 } }), 10, null);
    assert.deepEqual(blackHole.findings.map((f) => [f.cause, f.text]), [['no-route', '12 sent to BlackHole']]);
    assert.equal(judgeCluster(cluster({ name: 'PassthroughCluster', counters: { connections: 12 } }), 10, null).severity, 'ok');
  });

  it('quiets a count that stopped rising, and never flags Istio\'s bootstrap timeouts', () => {
    const stopped = judgeCluster(cluster({ counters: { pendingOverflows: 9 } }), 10, { connectTimeouts: null, connectFailures: null, connections: null, remoteResets: null, pendingOverflows: 0, tlsErrors: null });
    assert.equal(stopped.severity, 'quiet');
    assert.equal(stopped.lead, '10s', 'only problems lead the row');
    const xds = judgeCluster(cluster({ name: 'xds-grpc', isStatic: true, connectTimeoutSeconds: 1, hostCounters: hosts(0, 3) }), 10, null);
    assert.equal(xds.severity, 'ok');
    assert.equal(xds.lead, '1s');
  });

  it('counts problem clusters per pod and problem pods per namespace, causes by frequency', () => {
    const low = judgeCluster(cluster({ connectTimeoutSeconds: 1, hostCounters: hosts(5, 9) }), 10, null);
    const overflow = judgeCluster(cluster({ counters: { pendingOverflows: 1 } }), 10, null);
    const idle = judgeCluster(cluster({ connectTimeoutSeconds: 1, counters: { connections: 0 } }), 10, null);
    const pod = summarizeVerdicts([low, overflow, idle]);
    assert.deepEqual(pod, { problems: 2, causes: ['connect-timeout', 'circuit-breaker'] });
    assert.deepEqual(summarizeVerdicts([idle]), { problems: 0, causes: [] });
    const ns = summarizePods([pod, summarizeVerdicts([overflow]), { problems: 0, causes: [] }]);
    assert.deepEqual(ns, { problems: 2, causes: ['circuit-breaker', 'connect-timeout'] });
  });
});
