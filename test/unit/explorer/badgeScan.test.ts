import * as assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../../standin';
import { hasProblems, namespaceBadgeText, podBadgeText } from '../../../src/explorer/badgeWording';
import { MeshModel } from '../../../src/explorer/meshModel';
import type { ContextNode, NamespaceNode, PodNode } from '../../../src/explorer/nodes';
import type { EnvoyAdminClient, PodRef } from '../../../src/kube/types';
import { standInAccess } from './standInAccess';

const CONTEXT = 'badges-incident';
const quietLog = { info: () => undefined, warn: () => undefined };

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The stand-in access, also tracking how many pods have an admin request in flight at once. */
function trackingAccess(standIn: StandIn) {
  const access = standInAccess(standIn.kubeconfigPath, CONTEXT);
  const inFlight = new Map<string, number>();
  const stats = { maxPods: 0 };
  const adminFor = access.adminFor.bind(access);
  access.adminFor = (context: string): EnvoyAdminClient => {
    const admin = adminFor(context);
    return {
      request: async (pod: PodRef, method, path, signal) => {
        const key = pod.name;
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        stats.maxPods = Math.max(stats.maxPods, inFlight.size);
        try {
          return await admin.request(pod, method, path, signal);
        } finally {
          const left = inFlight.get(key)! - 1;
          if (left === 0) inFlight.delete(key);
          else inFlight.set(key, left);
        }
      },
    };
  };
  return { access, stats };
}

describe('namespace and pod badges from the background scan (stand-in incident, real client-node)', function () {
  this.timeout(90_000);
  let standIn: StandIn;

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', contextName: CONTEXT });
  });
  after(() => standIn?.close());
  afterEach(() => standIn.model.clearFaults());

  const contextOf = (model: MeshModel): ContextNode => model.contexts().find((c): c is ContextNode => c.kind === 'context' && c.context === CONTEXT)!;
  const namespacesOf = async (model: MeshModel) => (await model.namespaces(contextOf(model))).filter((n): n is NamespaceNode => n.kind === 'namespace');
  const done = (model: MeshModel, namespaces: NamespaceNode[]) => namespaces.every((n) => {
    const b = model.badges.namespace(`${CONTEXT}/${n.namespace}`);
    return b !== undefined && b.scanned === b.meshed;
  });

  it('badges shop with its 3 checkout pods and legacy with billing and invoices, healthy namespaces none, without expanding a pod', async () => {
    const { access, stats } = trackingAccess(standIn);
    const model = new MeshModel(access, quietLog, { scan: { concurrency: 3, maxAgeMs: 600_000 } });
    try {
      const namespaces = await namespacesOf(model);
      assert.equal(access.adminRequests, 0, 'nothing is asked before the view is visible');
      model.badges.resume();
      await waitUntil('every namespace scanned', () => done(model, namespaces));
      const badge = (ns: string) => model.badges.namespace(`${CONTEXT}/${ns}`)!;
      assert.deepEqual(badge('shop').summary, { problems: 3, causes: ['connect-timeout'] });
      assert.equal(namespaceBadgeText(badge('shop')), '⚠ 3 pods: connect-timeout');
      assert.deepEqual(badge('legacy').summary, { problems: 2, causes: ['connect-timeout'] });
      assert.equal(hasProblems(badge('identity').summary), false);
      assert.equal(namespaceBadgeText(badge('identity')), null);
      assert.equal(badge('istio-system').meshed, 0);
      const flagged = async (ns: string) => {
        const pods = (await model.pods(namespaces.find((n) => n.namespace === ns)!)).filter((p): p is PodNode => p.kind === 'pod');
        return pods.filter((p) => hasProblems(model.badges.pod(p.pod)?.summary)).map((p) => p.pod.name.replace(/-[a-z0-9]+-[a-z0-9]+$|-[a-z0-9]+$/, ''));
      };
      assert.deepEqual(await flagged('shop'), ['checkout', 'checkout', 'checkout']);
      assert.deepEqual(await flagged('legacy'), ['billing', 'invoices']);
      const checkout = (await model.pods(namespaces.find((n) => n.namespace === 'shop')!)).find((p): p is PodNode => p.kind === 'pod' && p.pod.name.startsWith('checkout-'))!;
      assert.equal(podBadgeText(model.badges.pod(checkout.pod)), '⚠ 1 cluster: connect-timeout');
      assert.equal(model.hasClusters(checkout.pod), false, 'no pod was expanded');
      // 11 meshed running pods (shop 7, identity 2, legacy 2); the default stats matcher exports no
      // connect failures, so each costs the stats, the masked config dump and /clusters.
      assert.equal(model.badges.requests, 33);
      assert.equal(access.adminRequests, 33);
      assert.ok(stats.maxPods <= 3, `at most 3 pods sampled at once, saw ${stats.maxPods}`);
    } finally {
      model.dispose();
    }
  });

  it('costs two requests per pod when the stats matcher exports connect failures (the pod annotation)', async () => {
    const { access } = trackingAccess(standIn);
    standIn.model.addPod({
      namespace: 'shop',
      name: 'stats-1',
      annotations: { 'proxy.istio.io/config': '{"proxyStatsMatcher":{"inclusionRegexps":[".*upstream_cx_.*"]}}' },
      sidecar: { istioVersion: '1.22.3', incident: true, identityConnectTimeout: '1s' },
    });
    const model = new MeshModel(access, quietLog, { scan: { concurrency: 2, maxAgeMs: 600_000 } });
    try {
      const namespaces = await namespacesOf(model);
      model.badges.resume();
      await waitUntil('every namespace scanned', () => done(model, namespaces));
      const pod = { context: CONTEXT, namespace: 'shop', name: 'stats-1' };
      assert.deepEqual(model.badges.pod(pod)?.summary, { problems: 1, causes: ['connect-timeout'] });
      assert.equal(model.badges.requests, 33 + 2);
    } finally {
      model.dispose();
      standIn.model.deletePod('shop', 'stats-1');
    }
  });

  it('stops when paused (the view hidden): samples in flight are aborted, nothing more is asked, badges resume later', async () => {
    const { access } = trackingAccess(standIn);
    const model = new MeshModel(access, quietLog, { scan: { concurrency: 2, maxAgeMs: 600_000 } });
    try {
      const namespaces = await namespacesOf(model);
      standIn.model.addFault({ kind: 'delay', delayMs: 1500, verb: 'portforward' });
      model.badges.resume();
      await waitUntil('the first samples to be in flight', () => access.adminRequests > 0);
      model.badges.pause();
      const asked = access.adminRequests;
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(access.adminRequests, asked, 'no request after the pause');
      assert.ok(namespaces.every((n) => (model.badges.namespace(`${CONTEXT}/${n.namespace}`)?.scanned ?? 0) === 0), 'aborted samples leave no badge');
      standIn.model.clearFaults();
      model.badges.resume();
      await waitUntil('every namespace scanned after resuming', () => done(model, namespaces));
      assert.equal(model.badges.namespace(`${CONTEXT}/shop`)!.summary.problems, 3);
    } finally {
      model.dispose();
    }
  });

  it('an expansion after a scan reading shows rates, and refreshes the pod\'s badge', async () => {
    const { access } = trackingAccess(standIn);
    const model = new MeshModel(access, quietLog, { scan: { concurrency: 4, maxAgeMs: 600_000 } });
    try {
      const namespaces = await namespacesOf(model);
      const shop = namespaces.find((n) => n.namespace === 'shop')!;
      const checkout = (await model.pods(shop)).find((p): p is PodNode => p.kind === 'pod' && p.pod.name.startsWith('checkout-'))!;
      model.badges.resume();
      await waitUntil('checkout scanned', () => model.badges.pod(checkout.pod) !== undefined);
      // The expansion comes more than the minimum window after the scan's reading.
      await new Promise((r) => setTimeout(r, 10_500));
      const groups = await model.clusterGroups(checkout, null);
      const outbound = groups.find((g) => g.kind === 'clusterGroup' && g.direction === 'outbound');
      assert.ok(outbound && outbound.kind === 'clusterGroup');
      const idpRates = outbound.rates.get('outbound|443||idp.example.com');
      assert.ok(idpRates, 'rates against the scan reading');
      assert.ok(idpRates.connectFailures !== null && idpRates.connectFailures > 0, `the identity cluster fails every 5 s: ${JSON.stringify(idpRates)}`);
      assert.ok(model.badges.pod(checkout.pod)!.atMs > Date.now() - 5_000, 'the expansion refreshed the badge');
    } finally {
      model.dispose();
    }
  });
});
