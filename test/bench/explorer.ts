import { execFile } from 'node:child_process';
import { summarizePod } from '../../src/core/pods';
import { buildClusterRows, ENVOY_ADMIN_REQUESTS, type ClusterPayloads } from '../../src/core/envoy/clusterRows';
import { createKubeClients, type KubeClients } from '../../src/kube/clients';
import { createApiAdminClient, fetchClusterRows } from '../../src/kube/envoyAdmin';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import { listPodsPaged } from '../../src/kube/pods';
import type { EnvoyAdminClient, PodRef } from '../../src/kube/types';
import { startStandIn } from '../standin';
import { ensureKubectl } from '../standin/kubectl';
import { medianMilliseconds, type BenchFigure } from './harness';

const BENCH = 'explorer';

function kubectlGetPods(kubectl: string, kubeconfig: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'json'], { maxBuffer: 1024 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      if (!stdout.includes('"kind": "List"')) return reject(new Error('kubectl printed no pod list'));
      resolve();
    });
  });
}

/** What the explorer does on a context expansion: every pod, one page of raw JSON at a time, counted per namespace. */
async function meshDoctorListing(clients: KubeClients): Promise<number> {
  const meshed = new Map<string, number>();
  const { count } = await listPodsPaged(clients, null, (page) => {
    for (const pod of page.items) {
      if (summarizePod(pod).sidecar) meshed.set(pod.metadata!.namespace!, (meshed.get(pod.metadata!.namespace!) ?? 0) + 1);
    }
  }, { limit: 500 });
  return count;
}

async function listingFigures(): Promise<BenchFigure[]> {
  const standIn = await startStandIn({ scenario: 'scale' });
  try {
    const kubectl = await ensureKubectl();
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    const count = await meshDoctorListing(clients);
    if (count !== 10_000) throw new Error(`expected 10,000 pods in the scale scenario, listed ${count}`);
    const t = await medianMilliseconds({
      meshDoctor: () => meshDoctorListing(clients),
      kubectl: () => kubectlGetPods(kubectl, standIn.kubeconfigPath),
    }, { warmup: 1, runs: 5 });
    const ratio = t.meshDoctor / t.kubectl;
    return [
      { bench: BENCH, name: 'list 10,000 pods: Mesh Doctor (paged 500)', value: Math.round(t.meshDoctor), unit: 'ms' },
      { bench: BENCH, name: 'list 10,000 pods: kubectl get pods -A -o json', value: Math.round(t.kubectl), unit: 'ms' },
      { bench: BENCH, name: 'list 10,000 pods: ratio Mesh Doctor / kubectl', value: ratio, unit: 'x', target: '<= 1.0', ok: ratio <= 1.0 },
    ];
  } finally {
    await standIn.close();
  }
}

/** Counts what a pod expansion sends, without changing it. */
function countingAdmin(inner: EnvoyAdminClient): EnvoyAdminClient & { count: number } {
  const counting = {
    count: 0,
    request: (pod: PodRef, method: 'GET' | 'POST', path: string, signal?: AbortSignal) => {
      counting.count++;
      return inner.request(pod, method, path, signal);
    },
  };
  return counting;
}

async function clusterRowFigures(): Promise<BenchFigure[]> {
  const standIn = await startStandIn({ scenario: 'incident' });
  try {
    const clusters = 5_000;
    standIn.model.addPod({ namespace: 'shop', name: 'big-mesh-client', sidecar: { istioVersion: '1.22.3', identityConnectTimeout: '1s', extraClusters: clusters } });
    const kube = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    const pod: PodRef = { context: kube.context, namespace: 'shop', name: 'big-mesh-client' };
    const admin = countingAdmin(createApiAdminClient(kube));
    const rows = await fetchClusterRows(admin, pod);
    if (rows.length < clusters) throw new Error(`expected at least ${clusters} clusters, got ${rows.length}`);
    const requestsPerExpansion = admin.count;

    // The same payloads, fetched once, then timed in memory: rows vs a bare JSON.parse of each.
    const get = (path: string) => admin.request(pod, 'GET', path);
    const payloads: ClusterPayloads = {
      clusters: await get(ENVOY_ADMIN_REQUESTS.clusters),
      configDumps: [await get(ENVOY_ADMIN_REQUESTS.dynamicClusters), await get(ENVOY_ADMIN_REQUESTS.staticClusters)],
      stats: await get(ENVOY_ADMIN_REQUESTS.stats),
    };
    const texts = [payloads.clusters!, ...payloads.configDumps, payloads.stats!];
    const megabytes = texts.reduce((n, s) => n + Buffer.byteLength(s), 0) / 1e6;
    const t = await medianMilliseconds({
      rows: () => buildClusterRows(payloads),
      bareParse: () => texts.map((s) => JSON.parse(s) as unknown),
    }, { warmup: 3, runs: 15 });
    const ratio = t.rows / t.bareParse;
    return [
      { bench: BENCH, name: `cluster rows for ${rows.length} clusters (${megabytes.toFixed(1)} MB)`, value: Math.round(t.rows * 10) / 10, unit: 'ms' },
      { bench: BENCH, name: 'cluster rows: bare JSON.parse of the same payloads', value: Math.round(t.bareParse * 10) / 10, unit: 'ms' },
      { bench: BENCH, name: 'cluster rows: ratio to bare JSON.parse', value: ratio, unit: 'x', target: '<= 1.3', ok: ratio <= 1.3 },
      { bench: BENCH, name: 'admin requests per pod expansion', value: requestsPerExpansion, unit: 'requests', target: '<= 4', ok: requestsPerExpansion <= 4 },
    ];
  } finally {
    await standIn.close();
  }
}

export async function runExplorerBench(): Promise<BenchFigure[]> {
  return [...(await clusterRowFigures()), ...(await listingFigures())];
}
