import * as assert from 'node:assert/strict';
import type { ClusterSample, ClusterSampleSource } from '../../../src/core/envoy/clusterSample';
import { judgeCluster, summarizeVerdicts } from '../../../src/core/envoy/clusterVerdict';
import { createPrometheusClient, type PrometheusClient } from '../../../src/kube/prometheus';
import { BADGE_QUERY_COUNT, prometheusSampleSource } from '../../../src/kube/prometheusSampleSource';
import type { PodRef } from '../../../src/kube/types';
import { startStandIn, type StandIn } from '../../standin';
import { PROXY_CONTAINER } from '../../standin/model/podRecord';
import { freeLoopbackPort, startStandInPrometheus, waitForScrapes, type StandInPrometheus } from '../../standin/prometheus';

/** A fallback that records the pods it was asked for and answers an empty sample. */
function recordingFallback(): ClusterSampleSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async sample(pod: PodRef): Promise<ClusterSample> {
      asked.push(`${pod.namespace}/${pod.name}`);
      return { atMs: Date.now(), clusters: [], requests: 2 };
    },
  };
}

function silentLog() {
  const lines: string[] = [];
  return { lines, info: (m: string) => void lines.push(`info ${m}`), warn: (m: string) => void lines.push(`warn ${m}`) };
}


function causesOf(sample: ClusterSample): string[] {
  return [...summarizeVerdicts(sample.clusters.map((c) => judgeCluster(c, 10, null))).causes];
}

describe('badge samples from Prometheus (a real Prometheus scraping the stand-in)', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  let prometheus: StandInPrometheus;
  let pods: PodRef[];
  const context = 'standin';

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', profile: 'demo', contextName: context });
    prometheus = await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: 1 });
    await waitForScrapes(prometheus, 3);
    pods = standIn.model.mesh.listPods(null).filter((p) => p.containerNames().includes(PROXY_CONTAINER)).map((p) => ({ context, namespace: p.input.namespace, name: p.input.name }));
  });
  after(async () => {
    await prometheus?.close();
    await standIn?.close();
  });

  const clientOf = (url: string): PrometheusClient => createPrometheusClient({ url, timeoutSeconds: 5 });

  it('answers every sidecar pod from one reading of the whole mesh: the checkout pods with connect timeouts, the healthy ones with nothing', async () => {
    const client = clientOf(prometheus.url);
    const fallback = recordingFallback();
    const log = silentLog();
    const source = prometheusSampleSource(async () => client, fallback, { freshMs: 60_000, retryMs: 60_000, limit: 1000, log });
    const signal = new AbortController().signal;
    const samples = await Promise.all(pods.map(async (pod) => ({ pod, sample: await source.sample(pod, signal) })));
    assert.equal(client.requestCount, BADGE_QUERY_COUNT, 'one reading for all pods');
    assert.equal(samples.reduce((n, s) => n + s.sample.requests, 0), BADGE_QUERY_COUNT, 'its requests reported once');
    assert.deepEqual(fallback.asked, []);
    const byName = (prefix: string) => samples.filter((s) => s.pod.name.startsWith(prefix));
    const checkout = byName('checkout-');
    assert.equal(checkout.length, 3);
    for (const { sample } of checkout) {
      assert.deepEqual(causesOf(sample), ['connect-timeout'], JSON.stringify(sample.clusters));
      const idp = sample.clusters.find((c) => c.name === 'outbound|443||idp.example.com');
      assert.ok(idp && (idp.counters.connectTimeouts ?? 0) > 0, JSON.stringify(sample.clusters));
    }
    for (const { pod, sample } of [...byName('frontend-'), ...byName('cart-')]) assert.deepEqual(causesOf(sample), [], `${pod.name}: ${JSON.stringify(sample.clusters)}`);
    assert.ok(log.lines.some((l) => l.includes(`from Prometheus at ${prometheus.url}`)), log.lines.join('\n'));
    // Fresh: asked again within freshMs, no query is sent.
    await source.sample(pods[0], signal);
    assert.equal(client.requestCount, BADGE_QUERY_COUNT);
  });

  it('reads a pod Prometheus does not scrape from its Envoy (the fallback)', async () => {
    const fallback = recordingFallback();
    const source = prometheusSampleSource(async () => clientOf(prometheus.url), fallback, { freshMs: 60_000, retryMs: 60_000, limit: 1000, log: silentLog() });
    const sample = await source.sample({ context, namespace: 'shop', name: 'not-scraped-0' }, new AbortController().signal);
    assert.deepEqual(fallback.asked, ['shop/not-scraped-0']);
    assert.equal(sample.requests, 2 + BADGE_QUERY_COUNT, 'its two admin requests and the reading that did not find it');
  });

  it('with no Prometheus reachable, reads every pod from its Envoy, says so once, and asks Prometheus again only after retryMs', async () => {
    const dead = clientOf(`http://127.0.0.1:${await freeLoopbackPort()}`);
    const fallback = recordingFallback();
    const log = silentLog();
    let nowMs = 1_000_000;
    const source = prometheusSampleSource(async () => dead, fallback, { freshMs: 1_000, retryMs: 30_000, limit: 1000, log, now: () => nowMs });
    const signal = new AbortController().signal;
    let requests = 0;
    for (const pod of pods) requests += (await source.sample(pod, signal)).requests;
    assert.equal(fallback.asked.length, pods.length);
    assert.equal(requests, 2 * pods.length + BADGE_QUERY_COUNT, 'the failed reading is reported too');
    assert.equal(dead.requestCount, BADGE_QUERY_COUNT, 'one failed reading for the pass');
    nowMs += 10_000;
    await source.sample(pods[0], signal);
    assert.equal(dead.requestCount, BADGE_QUERY_COUNT, 'not asked again before retryMs');
    nowMs += 30_000;
    await source.sample(pods[0], signal);
    assert.equal(dead.requestCount, 2 * BADGE_QUERY_COUNT, 'asked again after retryMs');
    const warnings = log.lines.filter((l) => l.startsWith('warn'));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /no Prometheus for the badges of standin \(cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused\); each pod's Envoy is read instead/);
  });

  it('after reset() asks Prometheus again at once', async () => {
    const client = clientOf(prometheus.url);
    const source = prometheusSampleSource(async () => client, recordingFallback(), { freshMs: 60_000, retryMs: 60_000, limit: 1000, log: silentLog() });
    const signal = new AbortController().signal;
    await source.sample(pods[0], signal);
    source.reset();
    const again = await source.sample(pods[0], signal);
    assert.equal(client.requestCount, 2 * BADGE_QUERY_COUNT);
    assert.equal(again.requests, BADGE_QUERY_COUNT);
  });

  it('an aborted reading rejects and is not kept', async () => {
    const client = clientOf(prometheus.url);
    const source = prometheusSampleSource(async () => client, recordingFallback(), { freshMs: 60_000, retryMs: 60_000, limit: 1000, log: silentLog() });
    const controller = new AbortController();
    const pending = source.sample(pods[0], controller.signal);
    controller.abort();
    await assert.rejects(pending);
    const sample = await source.sample(pods[0], new AbortController().signal);
    assert.equal(sample.requests, BADGE_QUERY_COUNT, 'a new reading');
  });
});
