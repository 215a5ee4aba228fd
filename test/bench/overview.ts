import { execFile } from 'node:child_process';
import { overviewQueries } from '../../src/core/overview/queries';
import { createApiAdminClient, fetchClusterRows } from '../../src/kube/envoyAdmin';
import { listPodsPaged } from '../../src/kube/pods';
import { createPrometheusClient } from '../../src/kube/prometheus';
import { DEFAULT_OVERVIEW_LIMIT, fetchMeshOverview } from '../../src/kube/prometheusOverview';
import { DEFAULT_PROMETHEUS_SAMPLES, prometheusSampleSource } from '../../src/kube/prometheusSampleSource';
import { judgeCluster, summarizeVerdicts } from '../../src/core/envoy/clusterVerdict';
import { summarizePod } from '../../src/core/pods';
import type { EnvoyAdminClient, PodRef } from '../../src/kube/types';
import { median, medianMilliseconds, type BenchFigure } from './harness';
import { control, startSim } from './standinProcess';

const BENCH = 'overview';

/**
 * What fits 2 cores: 10,000 targets every 30 s (333 scrapes a second) with 5 generated clusters
 * per pod. The stand-in renders a pod's Envoy stats in about 0.9 ms with 5 clusters and 7 ms with
 * the scenario's default 50, which would need more than one core at any interval under a minute.
 * The overview's queries do not depend on it (a default install exports no per-cluster stats);
 * the tree's visits do, so (a) is measured with the default 50.
 */
const SCALE_SCRAPE_SECONDS = 30;
const SCRAPED_CLUSTERS_PER_POD = 5;
const MINUTES = 5;
/** Pods whose Envoy is visited to estimate what visiting all 10,000 costs. */
const VISIT_SAMPLE = 20;

/** The same queries Mesh Doctor sends, with curl, three at once as Mesh Doctor sends them. */
function curlQueries(prometheusUrl: string, atSeconds: number): Promise<void> {
  const q = overviewQueries({ minutes: MINUTES, limit: DEFAULT_OVERVIEW_LIMIT });
  const calls = [
    ['-G', `${prometheusUrl}/api/v1/query`, '--data-urlencode', `query=${q.failures}`, '--data-urlencode', `time=${atSeconds}`],
    ['-G', `${prometheusUrl}/api/v1/query`, '--data-urlencode', `query=${q.clusterStats}`, '--data-urlencode', `time=${atSeconds}`],
    ['-G', `${prometheusUrl}/api/v1/query_range`, '--data-urlencode', `query=${q.trend}`, '--data-urlencode', `start=${atSeconds - MINUTES * 60}`, '--data-urlencode', `end=${atSeconds}`, '--data-urlencode', `step=${q.trendStepSeconds}`],
  ];
  return Promise.all(
    calls.map(
      (args) =>
        new Promise<void>((resolve, reject) => {
          execFile('curl', ['-sS', '--fail', ...args], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : stdout.includes('"status":"success"') ? resolve() : reject(new Error(`curl: ${stdout.slice(0, 200)}`))));
        }),
    ),
  ).then(() => undefined);
}

async function instantValue(prometheusUrl: string, query: string): Promise<number> {
  const body = (await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { data: { result: { value: [number, string] }[] } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

/** Waits until every target answered `scrapes` scrapes and the failing pods' failures show. */
async function waitForScrapes(prometheusUrl: string, targets: number, scrapes: number): Promise<void> {
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    const scraped = await instantValue(prometheusUrl, `count(sum_over_time(up[${MINUTES}m]) >= ${scrapes})`);
    const failing = await instantValue(prometheusUrl, `count(rate(istio_tcp_connections_closed_total{source_workload="payments"}[${MINUTES}m]) > 0)`);
    if (scraped >= targets && failing >= 3) return;
    if (Date.now() > until) throw new Error(`within 10 minutes only ${scraped} of ${targets} targets answered ${scrapes} scrapes, ${failing} of 3 failing pods show failures`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function counting(inner: EnvoyAdminClient): EnvoyAdminClient & { count: number } {
  const c = {
    count: 0,
    request: (pod: PodRef, method: 'GET' | 'POST', path: string, signal?: AbortSignal) => {
      c.count++;
      return inner.request(pod, method, path, signal);
    },
  };
  return c;
}

/**
 * Overview of the 10,000-pod scale scenario scraped by the real Prometheus, against (a) visiting
 * every pod's Envoy as the Mesh tree does (estimated from a sample: the median visit times the
 * pod count, plus the pod listing) and (b) the bare PromQL queries sent with curl.
 */
export async function runOverviewBench(): Promise<BenchFigure[]> {
  const overview = await overviewFigures();
  const tree = await treeVisitEstimate();
  const ratioTree = overview.meshDoctorMs / tree.ms;
  return [
    ...overview.figures,
    { bench: BENCH, name: `(a) tree visiting every pod (estimated from ${VISIT_SAMPLE})`, value: Math.round(tree.ms), unit: 'ms' },
    { bench: BENCH, name: '(a) tree: requests (pod pages + admin requests)', value: Math.round(tree.requests), unit: 'requests' },
    { bench: BENCH, name: 'overview: ratio Mesh Doctor / tree visit', value: ratioTree, unit: 'x' },
  ];
}

async function overviewFigures(): Promise<{ figures: BenchFigure[]; meshDoctorMs: number }> {
  const sim = await startSim(['--scenario', 'scale', '--clusters', String(SCRAPED_CLUSTERS_PER_POD), '--prometheus', '--scrape-interval', String(SCALE_SCRAPE_SECONDS)]);
  try {
    const prometheusUrl = /^prometheus (\S+)$/m.exec(sim.banner)?.[1];
    if (!prometheusUrl) throw new Error(`the stand-in printed no prometheus line: ${sim.banner}`);
    // A few failing pods among the 10,000, their connect stats exported as a pod annotation does.
    for (let i = 0; i < 3; i++) {
      await control(sim.clients, 'pods', {
        namespace: 'team-007',
        name: `payments-${i}`,
        labels: { app: 'payments' },
        annotations: { 'proxy.istio.io/config': '{"proxyStatsMatcher":{"inclusionRegexps":[".*upstream_cx_connect_.*"]}}' },
        sidecar: { istioVersion: '1.22.3', incident: true, identityConnectTimeout: '1s' },
      });
    }
    const targets = 10_003;
    await waitForScrapes(prometheusUrl, targets, 3);

    const client = createPrometheusClient({ url: prometheusUrl, timeoutSeconds: 60 });
    const at = Math.floor(Date.now() / 1000);
    const first = await fetchMeshOverview(client, { minutes: MINUTES, atSeconds: at });
    const top = first.rows[0];
    if (top?.sourceWorkload !== 'payments' || top.cause !== 'connect-timeout') throw new Error(`expected team-007/payments first with connect-timeout, got ${JSON.stringify(top)}`);
    const requestsBefore = client.requestCount;
    await fetchMeshOverview(client, { minutes: MINUTES, atSeconds: at });
    const overviewRequests = client.requestCount - requestsBefore;
    const t = await medianMilliseconds({
      meshDoctor: () => fetchMeshOverview(client, { minutes: MINUTES, atSeconds: at }),
      curl: () => curlQueries(prometheusUrl, at),
    }, { warmup: 2, runs: 9 });
    const ratioCurl = t.meshDoctor / t.curl;
    const badges = await prometheusBadgeFigures(sim.clients, prometheusUrl);
    return {
      meshDoctorMs: t.meshDoctor,
      figures: [
        ...badges,
        { bench: BENCH, name: `scale: ${targets} targets (${SCRAPED_CLUSTERS_PER_POD} clusters each), scrape interval`, value: SCALE_SCRAPE_SECONDS, unit: 's' },
        { bench: BENCH, name: `overview of ${targets} pods (${MINUTES} min): Mesh Doctor`, value: Math.round(t.meshDoctor), unit: 'ms' },
        { bench: BENCH, name: 'overview: requests to Prometheus', value: overviewRequests, unit: 'requests', target: '<= 3', ok: overviewRequests <= 3 },
        { bench: BENCH, name: '(b) the same PromQL with curl', value: Math.round(t.curl), unit: 'ms' },
        { bench: BENCH, name: 'overview: ratio Mesh Doctor / curl', value: ratioCurl, unit: 'x', target: '<= 1.2', ok: ratioCurl <= 1.2 },
      ],
    };
  } finally {
    await sim.stop();
  }
}

/**
 * The tree's badges from the same Prometheus: the explorer's Prometheus sample source asked for
 * every listed pod, as the badge scan asks, with a fallback that must not be needed (every pod is
 * scraped). The per-pod path's figures are the badges bench's.
 */
async function prometheusBadgeFigures(clients: Parameters<typeof listPodsPaged>[0], prometheusUrl: string): Promise<BenchFigure[]> {
  const pods: PodRef[] = [];
  await listPodsPaged(clients, null, (page) => {
    // The pods the badge scan reads: meshed and running.
    for (const p of page.items) {
      const summary = summarizePod(p);
      if (summary.sidecar && summary.phase === 'Running') pods.push({ context: clients.context, namespace: p.metadata!.namespace!, name: p.metadata!.name! });
    }
  }, { limit: 500 });
  const client = createPrometheusClient({ url: prometheusUrl, timeoutSeconds: 60 });
  let fallbacks = 0;
  const quiet = { info: () => undefined, warn: () => undefined };
  const source = prometheusSampleSource(async () => client, { sample: async () => ((fallbacks++), { atMs: Date.now(), clusters: [], requests: 0 }) }, { ...DEFAULT_PROMETHEUS_SAMPLES, freshMs: 600_000, log: quiet });
  const signal = new AbortController().signal;
  const incident = pods.find((p) => p.name === 'payments-0')!;
  const start = process.hrtime.bigint();
  const first = await source.sample(incident, signal);
  const firstMs = Number(process.hrtime.bigint() - start) / 1e6;
  const causes = summarizeVerdicts(first.clusters.map((c) => judgeCluster(c, 10, null))).causes;
  if (!causes.includes('connect-timeout')) throw new Error(`payments-0's badge from Prometheus: expected connect-timeout, got ${JSON.stringify(causes)}`);
  let requests = first.requests;
  for (const pod of pods) requests += (await source.sample(pod, signal)).requests;
  const allMs = Number(process.hrtime.bigint() - start) / 1e6;
  return [
    { bench: BENCH, name: `badges from Prometheus: time to the first problem badge (one reading of ${pods.length} pods)`, value: Math.round(firstMs), unit: 'ms' },
    { bench: BENCH, name: `badges from Prometheus: every badge of ${pods.length} pods`, value: Math.round(allMs), unit: 'ms' },
    { bench: BENCH, name: 'badges from Prometheus: requests for every badge', value: requests, unit: 'requests', target: '<= 3', ok: requests <= 3 },
    { bench: BENCH, name: 'badges from Prometheus: pods read from their Envoy instead (not scraped)', value: fallbacks, unit: 'pods' },
  ];
}

/**
 * (a) What the tree does for the same question: list every pod, then four admin requests per
 * sidecar pod over port-forward. Measured on the same scale scenario without Prometheus (its
 * 500 scrapes a second would slow the stand-in's API server and flatter the overview), on a
 * sample of pods spread over the namespaces; the estimate is the listing plus the median visit
 * times the pod count.
 */
async function treeVisitEstimate(): Promise<{ ms: number; requests: number }> {
  const sim = await startSim(['--scenario', 'scale']);
  try {
    const pods: PodRef[] = [];
    const listStart = process.hrtime.bigint();
    await listPodsPaged(sim.clients, null, (page) => {
      for (const p of page.items) pods.push({ context: sim.clients.context, namespace: p.metadata!.namespace!, name: p.metadata!.name! });
    }, { limit: 500 });
    const listMs = Number(process.hrtime.bigint() - listStart) / 1e6;
    const admin = counting(createApiAdminClient(sim.clients));
    const visits: number[] = [];
    for (let i = 0; i < VISIT_SAMPLE; i++) {
      const pod = pods[Math.floor((i * pods.length) / VISIT_SAMPLE)];
      const start = process.hrtime.bigint();
      await fetchClusterRows(admin, pod);
      visits.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return { ms: listMs + median(visits) * pods.length, requests: Math.ceil(pods.length / 500) + (admin.count / VISIT_SAMPLE) * pods.length };
  } finally {
    await sim.stop();
  }
}
