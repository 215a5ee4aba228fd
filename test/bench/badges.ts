import { createKubeClients, type KubeClients } from '../../src/kube/clients';
import { createApiAdminClient } from '../../src/kube/envoyAdmin';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import type { EnvoyAdminClient, PodRef } from '../../src/kube/types';
import { DEFAULT_BADGE_SCAN } from '../../src/explorer/badgeScan';
import { MeshModel, type MeshAccess } from '../../src/explorer/meshModel';
import type { ContextNode, NamespaceNode } from '../../src/explorer/nodes';
import { startStandIn } from '../standin';
import type { BenchFigure } from './harness';

const BENCH = 'badges';
/** Pods the bench lets the scan read before pausing it (the whole mesh would take minutes, by design: bounded). */
const PODS_TO_READ = 600;
/** The incident pod sits in the third namespace, so the first problem badge needs about 100 pods read. */
const INCIDENT_NAMESPACE = 'team-002';

/** The extension's access over one context, counting the admin requests and the pods asked at once. */
function countingAccess(clients: KubeClients) {
  const admin = createApiAdminClient(clients);
  const inFlight = new Map<string, number>();
  const counts = { requests: 0, maxPodsAtOnce: 0 };
  const counting: EnvoyAdminClient = {
    request: async (pod: PodRef, method, path, signal) => {
      counts.requests++;
      inFlight.set(pod.name, (inFlight.get(pod.name) ?? 0) + 1);
      counts.maxPodsAtOnce = Math.max(counts.maxPodsAtOnce, inFlight.size);
      try {
        return await admin.request(pod, method, path, signal);
      } finally {
        const left = inFlight.get(pod.name)! - 1;
        if (left === 0) inFlight.delete(pod.name);
        else inFlight.set(pod.name, left);
      }
    },
  };
  const access: MeshAccess = {
    config: () => clients.kubeConfig,
    activeContext: () => clients.context,
    clientsFor: () => clients,
    adminFor: () => counting,
    adminRoute: (pod) => admin.routeFor(pod),
    reset: () => undefined,
  };
  return { access, counts };
}

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`badges bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Badges for the scale scenario (200 namespaces × 50 pods × 50 clusters) from the collapsed tree:
 * the namespace listing, then the background scan at the explorer's own concurrency. Reports the
 * requests and the time to the first namespace badge and to the first problem badge, checks the
 * concurrency bound, and that pausing (the view hidden) stops the requests.
 */
export async function runBadgesBench(): Promise<BenchFigure[]> {
  const standIn = await startStandIn({ scenario: 'scale' });
  try {
    standIn.model.addPod({ namespace: INCIDENT_NAMESPACE, name: 'checkout-incident', sidecar: { istioVersion: '1.22.3', incident: true, identityConnectTimeout: '1s', extraClusters: 50 } });
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    const { access, counts } = countingAccess(clients);
    const model = new MeshModel(access, { info: () => undefined, warn: () => undefined });
    try {
      const context = model.contexts().find((n): n is ContextNode => n.kind === 'context')!;
      const listStart = performance.now();
      const namespaces = (await model.namespaces(context)).filter((n): n is NamespaceNode => n.kind === 'namespace');
      const listMs = performance.now() - listStart;
      if (namespaces.length !== 200) throw new Error(`expected 200 namespaces, listed ${namespaces.length}`);
      const key = (ns: string) => `${context.context}/${ns}`;
      const scanStart = performance.now();
      model.badges.resume();
      await until('the first namespace badge', () => {
        const b = model.badges.namespace(key(namespaces[0].namespace));
        return b !== undefined && b.scanned === b.meshed;
      }, 300_000);
      const firstBadgeMs = performance.now() - scanStart;
      const firstBadgeRequests = counts.requests;
      await until('the first problem badge', () => (model.badges.namespace(key(INCIDENT_NAMESPACE))?.summary.problems ?? 0) > 0, 300_000);
      const firstProblemMs = performance.now() - scanStart;
      const firstProblemRequests = counts.requests;
      const scanned = () => namespaces.reduce((n, ns) => n + (model.badges.namespace(key(ns.namespace))?.scanned ?? 0), 0);
      await until(`${PODS_TO_READ} pods read`, () => scanned() >= PODS_TO_READ, 600_000);
      const readMs = performance.now() - scanStart;
      const read = scanned();
      model.badges.pause();
      const atPause = counts.requests;
      await new Promise((r) => setTimeout(r, 1000));
      const afterPause = counts.requests - atPause;
      const perPod = model.badges.requests / read;
      const podsPerSecond = read / (readMs / 1000);
      const bound = DEFAULT_BADGE_SCAN.concurrency;
      return [
        { bench: BENCH, name: 'list 10,000 pods for the namespace rows (paged)', value: Math.round(listMs), unit: 'ms' },
        { bench: BENCH, name: 'time to the first namespace badge (50 pods read)', value: Math.round(firstBadgeMs), unit: 'ms' },
        { bench: BENCH, name: 'admin requests until the first namespace badge', value: firstBadgeRequests, unit: 'requests' },
        { bench: BENCH, name: `time to the first problem badge (${INCIDENT_NAMESPACE}, 3rd namespace)`, value: Math.round(firstProblemMs), unit: 'ms' },
        { bench: BENCH, name: 'admin requests until the first problem badge', value: firstProblemRequests, unit: 'requests' },
        { bench: BENCH, name: 'admin requests per pod read (default stats matcher)', value: perPod, unit: 'requests', target: '<= 3', ok: perPod <= 3 },
        { bench: BENCH, name: `pods read per second (concurrency ${bound})`, value: Math.round(podsPerSecond * 10) / 10, unit: 'pods/s' },
        { bench: BENCH, name: 'whole mesh at that pace (10,001 pods)', value: Math.round(10_001 / podsPerSecond), unit: 's' },
        { bench: BENCH, name: 'pods asked at once (max)', value: counts.maxPodsAtOnce, unit: 'pods', target: `<= ${bound}`, ok: counts.maxPodsAtOnce <= bound },
        { bench: BENCH, name: 'admin requests in the second after pausing (view hidden)', value: afterPause, unit: 'requests', target: '0', ok: afterPause === 0 },
      ];
    } finally {
      model.dispose();
    }
  } finally {
    await standIn.close();
  }
}
