import { execFile } from 'node:child_process';
import { createApiAdminClient } from '../../src/kube/envoyAdmin';
import { listWorkloadPods, listWorkloads, podRefOf } from '../../src/kube/workloads';
import { mapBounded } from '../../src/core/envoyLogging/concurrency';
import { raisePodLevels, restorePodLevels } from '../../src/core/envoyLogging/podLevels';
import type { PodRef } from '../../src/kube/types';
import { ensureKubectl } from '../standin/kubectl';
import { median, type BenchFigure } from './harness';
import { startSim } from './standinProcess';

const BENCH = 'logging';
const CONCURRENCY = 8;
function kubectlRaiseOnce(kubectl: string, kubeconfig: string, pod: PodRef): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['--kubeconfig', kubeconfig, '-n', pod.namespace, 'exec', pod.name, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'POST', 'logging?level=debug'], (err, stdout) => {
      if (err) return reject(err);
      resolve(stdout.includes('active loggers'));
    });
  });
}

/** One baseline call; an empty answer (a busy machine can cut the exec stream) is retried, as a user would, and counted. */
async function kubectlRaise(kubectl: string, kubeconfig: string, pod: PodRef, retries: { count: number }): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await kubectlRaiseOnce(kubectl, kubeconfig, pod)) return;
    retries.count++;
  }
  throw new Error(`kubectl exec on ${pod.name} answered without the logger list three times`);
}

/**
 * Enabling debug logging on a 50-replica Deployment: Mesh Doctor (read levels, then raise, 8 pods
 * at a time over the API transport) against 50 sequential `kubectl exec ... pilot-agent request`.
 */
async function workloadFigures(): Promise<BenchFigure[]> {
  // 250 pods in one namespace make five Deployments of 50 replicas.
  const sim = await startSim(['--scenario', 'scale', '--namespaces', '1', '--pods', '250', '--clusters', '5']);
  try {
    const kubectl = await ensureKubectl();
    const namespace = 'team-000';
    const [workload] = await listWorkloads(sim.clients, namespace);
    const pods = (await listWorkloadPods(sim.clients, workload)).map((p) => podRefOf(sim.clients.context, p));
    if (pods.length !== 50) throw new Error(`expected 50 replicas in ${workload.name}, found ${pods.length}`);
    const admin = createApiAdminClient(sim.clients);
    const rounds = 3;
    const retries = { count: 0 };
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let t = process.hrtime.bigint();
      const results = await mapBounded(pods, CONCURRENCY, (p) => raisePodLevels(admin, p, { kind: 'all', level: 'debug' }));
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      const failed = results.filter((r) => !r.ok).length;
      if (failed) throw new Error(`${failed} pods failed to raise`);
      await mapBounded(results, CONCURRENCY, async (r) => r.ok && restorePodLevels(admin, r.item, r.value.before));
      t = process.hrtime.bigint();
      for (const p of pods) await kubectlRaise(kubectl, sim.kubeconfig, p, retries);
      theirs.push(Number(process.hrtime.bigint() - t) / 1e6);
      await mapBounded(pods, CONCURRENCY, (p) => admin.request(p, 'POST', '/logging?level=warning'));
    }
    return [
      { bench: BENCH, name: `enable 50 replicas: Mesh Doctor (read + raise, ${CONCURRENCY} at a time)`, value: Math.round(median(ours)), unit: 'ms' },
      { bench: BENCH, name: 'enable 50 replicas: 50 sequential kubectl exec', value: Math.round(median(theirs)), unit: 'ms' },
      { bench: BENCH, name: 'enable 50 replicas: kubectl exec calls retried (empty answer)', value: retries.count, unit: `of ${rounds * pods.length}` },
      { bench: BENCH, name: 'enable 50 replicas: speed-up over sequential kubectl', value: median(theirs) / median(ours), unit: 'x', target: '> 1', ok: median(theirs) > median(ours) },
    ];
  } finally {
    await sim.stop();
  }
}

/** `npm run bench -- --only logging`; the tail at 20,000 lines/s is its own benchmark, `tail`. */
export async function runLoggingBench(): Promise<BenchFigure[]> {
  return workloadFigures();
}
