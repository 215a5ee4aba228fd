import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CAUSE_STATS_FILTER } from '../../src/core/envoy/clusterCounters';
import { ENVOY_ADMIN_REQUESTS } from '../../src/core/envoy/clusterRows';
import { rankCauses } from '../../src/core/diagnose/rank';
import { gatherEvidence } from '../../src/kube/diagnoseEvidence';
import { openClusterAccess } from '../../src/kube/transport';
import { listPodsPaged } from '../../src/kube/pods';
import { ensureKubectl } from '../standin/kubectl';
import { median, type BenchFigure } from './harness';
import { startSim } from './standinProcess';

const BENCH = 'diagnose';
const ROUNDS = 5;
/** The pause between the stats samples is the user's choice, not work: both sides skip it. */
const SAMPLE_SECONDS = 0.01;

const run = promisify(execFile);

/**
 * Diagnose of the incident pod against the same requests made one after another with kubectl:
 * `get pod`, the admin requests as `exec … pilot-agent request GET …`, and `logs --since` per
 * container. Mesh Doctor's time includes ranking (correlator and live checks).
 */
export async function runDiagnoseBench(): Promise<BenchFigure[]> {
  const sim = await startSim(['--scenario', 'incident']);
  try {
    const kubectl = await ensureKubectl();
    let pod = '';
    await listPodsPaged(sim.clients, 'shop', (p) => void (pod ||= p.items.map((i) => i.metadata!.name!).find((n) => n.startsWith('checkout-')) ?? ''));
    const access = openClusterAccess({ kubeconfig: sim.kubeconfig, transport: 'api', kubectlPath: kubectl });
    const target = { kind: 'pod' as const, pod: { context: access.clients.context, namespace: 'shop', name: pod } };
    const k = (args: string[]) => run(kubectl, ['--kubeconfig', sim.kubeconfig, '-n', 'shop', ...args], { maxBuffer: 64 << 20 });
    const admin = (path: string) => k(['exec', pod, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'GET', path.replace(/^\//, '')]);
    const stats = `/stats?format=json&filter=${encodeURIComponent(CAUSE_STATS_FILTER)}`;
    const ours: number[] = [];
    const theirs: number[] = [];
    let requests = 0;
    let topCause = '';
    for (let round = 0; round < ROUNDS; round++) {
      let t = process.hrtime.bigint();
      const evidence = await gatherEvidence(access, target, { minutes: 5, sampleSeconds: SAMPLE_SECONDS, debugMinutes: 0 });
      topCause = rankCauses(evidence, { minimumSeconds: 10 }).causes[0]?.cause ?? 'none';
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      requests = evidence.requests;
      t = process.hrtime.bigint();
      await k(['get', 'pod', pod, '-o', 'json']);
      for (const path of [ENVOY_ADMIN_REQUESTS.dynamicClusters, ENVOY_ADMIN_REQUESTS.staticClusters, ENVOY_ADMIN_REQUESTS.clusters, stats, ENVOY_ADMIN_REQUESTS.clusters, stats]) await admin(path);
      for (const container of ['checkout', 'istio-proxy']) await k(['logs', pod, '-c', container, '--since=5m', '--timestamps']);
      theirs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const ratio = median(ours) / median(theirs);
    return [
      { bench: BENCH, name: `diagnose the incident pod: requests (top cause ${topCause})`, value: requests, unit: 'requests' },
      { bench: BENCH, name: 'diagnose the incident pod: Mesh Doctor (gather + rank)', value: Math.round(median(ours)), unit: 'ms' },
      { bench: BENCH, name: 'diagnose the incident pod: the same requests by kubectl, one after another', value: Math.round(median(theirs)), unit: 'ms' },
      { bench: BENCH, name: 'diagnose the incident pod: Mesh Doctor / sequential kubectl', value: Math.round(ratio * 100) / 100, unit: 'x', target: '<= 1.5', ok: ratio <= 1.5 && topCause === 'connect-timeout' },
    ];
  } finally {
    await sim.stop();
  }
}
