import * as assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../../standin';
import { clusterNodes } from '../../../src/explorer/clusterGroups';
import { MeshModel, type MeshChange } from '../../../src/explorer/meshModel';
import type { ClusterGroupNode, ContextNode, MeshNode, MessageNode, NamespaceNode, PodNode } from '../../../src/explorer/nodes';
import { standInAccess } from './standInAccess';

const CONTEXT = 'model-incident';
const OTHER_CONTEXT = 'model-other';
const IDP = 'outbound|443||idp.example.com';

const quietLog = { info: () => undefined, warn: () => undefined };

/** The next change the model announces that `match` accepts; the listener is removed afterwards. */
function nextChange(model: MeshModel, match: (c: MeshChange) => boolean, timeoutMs = 15_000): Promise<MeshChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no matching change within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = model.onDidChange((c) => {
      if (!match(c)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(c);
    });
  });
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function ofKind<K extends MeshNode['kind']>(nodes: MeshNode[], kind: K): Extract<MeshNode, { kind: K }>[] {
  return nodes.filter((n): n is Extract<MeshNode, { kind: K }> => n.kind === kind);
}

describe('mesh model against the stand-in (no VS Code)', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  let access: ReturnType<typeof standInAccess>;
  let model: MeshModel;

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', contextName: CONTEXT, extraContexts: [{ name: OTHER_CONTEXT }] });
  });
  after(() => standIn?.close());
  beforeEach(() => {
    access = standInAccess(standIn.kubeconfigPath, CONTEXT);
    model = new MeshModel(access, quietLog);
  });
  afterEach(() => {
    model.dispose();
    standIn.model.clearFaults();
  });

  const contextNode = (): ContextNode => ofKind(model.contexts(), 'context').find((c) => c.context === CONTEXT)!;
  const namespaceNode = async (name: string): Promise<NamespaceNode> => {
    const found = ofKind(await model.namespaces(contextNode()), 'namespace').find((n) => n.namespace === name);
    assert.ok(found, `no namespace ${name}`);
    return found;
  };
  const podNode = async (namespace: string, prefix: string): Promise<PodNode> => {
    const pods = ofKind(await model.pods(await namespaceNode(namespace)), 'pod');
    const found = pods.find((p) => p.pod.name.startsWith(prefix) && !(prefix === 'cart-' && p.pod.name.startsWith('cart-redis')));
    assert.ok(found, `no ${prefix}* pod among ${pods.map((p) => p.pod.name).join(', ')}`);
    return found;
  };

  it('lists the contexts, the active one first, and marks the kubeconfig\'s current-context', () => {
    assert.deepEqual(ofKind(model.contexts(), 'context').map((c) => c.context), [CONTEXT, OTHER_CONTEXT]);
    const switched = new MeshModel(standInAccess(standIn.kubeconfigPath, OTHER_CONTEXT), quietLog);
    try {
      const [first, second] = ofKind(switched.contexts(), 'context');
      assert.deepEqual([first.context, first.active, first.kubeconfigCurrent], [OTHER_CONTEXT, true, false]);
      assert.deepEqual([second.context, second.active, second.kubeconfigCurrent], [CONTEXT, false, true]);
    } finally {
      switched.dispose();
    }
  });

  it('counts meshed and total pods per namespace', async () => {
    const namespaces = ofKind(await model.namespaces(contextNode()), 'namespace');
    assert.deepEqual(namespaces.map((n) => n.namespace), ['identity', 'istio-system', 'legacy', 'shop']);
    const shop = namespaces.find((n) => n.namespace === 'shop')!;
    assert.deepEqual([shop.meshed, shop.total], [7, 7]);
    const legacy = namespaces.find((n) => n.namespace === 'legacy')!;
    assert.deepEqual([legacy.meshed, legacy.total], [2, 3]);
  });

  it('falls back to the context\'s namespace when listing pods cluster-wide is forbidden', async () => {
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'list', times: 1 });
    const nodes = await model.namespaces(contextNode());
    const note = nodes[0] as MessageNode;
    assert.equal(note.kind, 'message');
    assert.equal(note.severity, 'info');
    assert.match(note.message, /listing pods in all namespaces is forbidden: showing namespace default/);
    assert.deepEqual(ofKind(nodes, 'namespace').map((n) => n.namespace), ['default']);
    // The refusal was one listing: the next expansion lists cluster-wide again.
    assert.ok(ofKind(await model.namespaces(contextNode()), 'namespace').some((n) => n.namespace === 'shop'));
  });

  it('lists a namespace\'s pods sorted, with their summaries; a pod without a sidecar has no clusters', async () => {
    const pods = ofKind(await model.pods(await namespaceNode('shop')), 'pod');
    const names = pods.map((p) => p.pod.name);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    assert.equal(names.filter((n) => n.startsWith('checkout-')).length, 3);
    const checkout = pods.find((p) => p.pod.name.startsWith('checkout-'))!;
    assert.deepEqual([checkout.summary.phase, checkout.summary.ready, checkout.summary.total, checkout.summary.sidecar?.version], ['Running', 2, 2, '1.22.3']);
    const reports = await podNode('legacy', 'reports-');
    assert.equal(reports.summary.sidecar, null);
    assert.deepEqual(await model.clusterGroups(reports, null), []);
    assert.equal(access.adminRequests, 0, 'no admin request for a pod without Envoy');
  });

  it('groups a pod\'s clusters by direction and applies the caller\'s filter to the cached rows', async () => {
    const checkout = await podNode('shop', 'checkout-');
    const groups = ofKind(await model.clusterGroups(checkout, null), 'clusterGroup');
    // A sidecar has inbound|PORT|| clusters (the stand-in's default install models a sidecar's cluster set).
    assert.deepEqual(groups.map((g) => g.direction), ['outbound', 'inbound', 'other']);
    const outbound = groups[0];
    const idp = clusterNodes(outbound).find((c) => c.cluster.name === IDP);
    assert.ok(idp, `outbound: ${outbound.rows.map((r) => r.name).join(', ')}`);
    assert.equal(idp.cluster.connectTimeoutSeconds, 1);
    assert.equal(idp.parent, outbound);
    const filtered = ofKind(await model.clusterGroups(checkout, (row) => row.name === IDP), 'clusterGroup');
    assert.deepEqual(filtered.map((g: ClusterGroupNode) => [g.direction, g.rows.map((r) => r.name), g.unfiltered]), [['outbound', [IDP], outbound.rows.length]]);
    const none = await model.clusterGroups(checkout, () => false);
    assert.equal(none.length, 1);
    assert.match((none[0] as MessageNode).message, /no cluster with a problem or a low connect timeout/);
    assert.equal(access.adminRequests, 4, 'filtering re-renders the cached rows: no admin request');
  });

  it('shares one fetch between expansions asking at once, and keeps the rows until refresh', async () => {
    const checkout = await podNode('shop', 'checkout-');
    const [a, b] = await Promise.all([model.clusterGroups(checkout, null), model.clusterGroups(checkout, null)]);
    assert.equal(access.adminRequests, 4, 'one pod expansion costs four admin requests, whoever asks');
    assert.deepEqual(ofKind(a, 'clusterGroup').map((g) => g.rows.length), ofKind(b, 'clusterGroup').map((g) => g.rows.length));
    assert.equal(model.hasClusters(checkout.pod), true);
    await model.clusterGroups(checkout, null);
    assert.equal(access.adminRequests, 4, 'cached');
    const refreshed = nextChange(model, (c) => c.scope === 'all');
    model.refresh();
    await refreshed;
    assert.equal(model.hasClusters(checkout.pod), false);
    await model.clusterGroups(await podNode('shop', 'checkout-'), null);
    assert.equal(access.adminRequests, 8, 'asked again after refresh');
  });

  for (const how of ['collapse', 'refresh'] as const) {
    it(`cancels a pod's pending admin requests on ${how} and asks again on the next expansion`, async () => {
      const checkout = await podNode('shop', 'checkout-');
      standIn.model.addFault({ kind: 'delay', delayMs: 20_000, verb: 'portforward', pod: checkout.pod.name });
      const started = Date.now();
      const pending = model.clusterGroups(checkout, null);
      await waitUntil('the admin requests to start', () => access.adminRequests === 4);
      const announced = nextChange(model, (c) => c.scope === 'pod' && c.key.endsWith(`/${checkout.pod.name}`));
      if (how === 'collapse') model.collapsed(checkout);
      else model.refresh();
      assert.deepEqual(await pending, [], 'the cancelled expansion shows nothing rather than waiting 20 s');
      assert.ok(Date.now() - started < 10_000);
      await announced;
      assert.equal(model.hasClusters(checkout.pod), false);
      standIn.model.clearFaults();
      const again = await model.clusterGroups(await podNode('shop', 'checkout-'), null);
      assert.ok(ofKind(again, 'clusterGroup').length > 0);
    });
  }

  it('says what is forbidden when port-forward and exec are refused', async () => {
    const loadgen = await podNode('shop', 'loadgen-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', pod: loadgen.pod.name });
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'exec', pod: loadgen.pod.name });
    const nodes = await model.clusterGroups(loadgen, null);
    assert.equal(nodes.length, 1);
    const error = nodes[0] as MessageNode;
    assert.equal(error.severity, 'error');
    assert.match(error.message, /pods\/portforward and pods\/exec are forbidden/);
    assert.match(error.hint, /ask your cluster admin for permission to create pods\/portforward in namespace shop .*, or set meshDoctor\.transport to kubectl/);
    assert.equal(model.hasClusters(loadgen.pod), false, 'a failure is not cached');
  });

  it('notes when Envoy was reached through exec because port-forward was refused', async () => {
    const redis = await podNode('shop', 'cart-redis-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', pod: redis.pod.name });
    const nodes = await model.clusterGroups(redis, null);
    const note = nodes[0] as MessageNode;
    assert.equal(note.severity, 'info');
    assert.match(note.message, /through exec/);
    assert.ok(ofKind(nodes, 'clusterGroup').some((g) => g.direction === 'outbound'));
  });

  it('follows the watch with new snapshots: an added and a deleted pod change the namespace, old nodes stay as they were', async () => {
    const shop = await namespaceNode('shop');
    const before = ofKind(await model.pods(shop), 'pod');
    const watched = model.namespace(shop);
    const added = nextChange(model, (c) => c.scope === 'namespace' && c.key === `${CONTEXT}/shop`);
    standIn.model.addPod({ namespace: 'shop', name: 'scratch-model' });
    await added;
    const grown = model.namespace(shop);
    assert.notEqual(grown, watched, 'a recount makes a new namespace node');
    assert.deepEqual([grown.total, grown.meshed, watched.total, watched.meshed], [before.length + 1, watched.meshed, before.length, watched.meshed]);
    assert.ok(ofKind(await model.pods(shop), 'pod').some((p) => p.pod.name === 'scratch-model'));
    const removed = nextChange(model, (c) => c.scope === 'namespace' && c.key === `${CONTEXT}/shop`);
    standIn.model.deletePod('shop', 'scratch-model');
    await removed;
    const after = ofKind(await model.pods(shop), 'pod');
    assert.deepEqual(after.map((p) => p.pod.name), before.map((p) => p.pod.name));
    assert.equal(model.namespace(shop).total, before.length);
  });

  it('a pod change that moves no count makes a new pod snapshot and announces only the pod', async () => {
    const cart = await podNode('shop', 'cart-');
    const changed = nextChange(model, (c) => c.scope !== 'all');
    standIn.model.modifyPod('shop', cart.pod.name, { labels: { 'mesh-doctor-test': 'relabelled' } });
    const change = await changed;
    assert.deepEqual(change, { scope: 'pod', namespace: `${CONTEXT}/shop`, key: `${CONTEXT}/shop/${cart.pod.name}` });
    const latest = model.pod(cart);
    assert.notEqual(latest, cart);
    assert.equal(latest.raw.metadata?.labels?.['mesh-doctor-test'], 'relabelled');
    assert.equal(cart.raw.metadata?.labels?.['mesh-doctor-test'], undefined, 'the old snapshot is unchanged');
  });

  it('stops a namespace\'s watch on collapse and lists again on the next expansion', async () => {
    const shop = await namespaceNode('shop');
    await model.pods(shop);
    const collapsed = nextChange(model, (c) => c.scope === 'namespace');
    model.collapsed(shop);
    assert.deepEqual(await collapsed, { scope: 'namespace', key: `${CONTEXT}/shop` });
    assert.equal(model.namespace(shop), shop, 'not watched any more: no newer snapshot');
    assert.ok(ofKind(await model.pods(shop), 'pod').length >= 7);
  });

  it('an expansion waiting for a namespace\'s first listing ends when the namespace is collapsed', async () => {
    const legacy = await namespaceNode('legacy');
    standIn.model.addFault({ kind: 'delay', delayMs: 20_000, verb: 'list', namespace: 'legacy' });
    const started = Date.now();
    const pending = model.pods(legacy);
    await new Promise((r) => setTimeout(r, 200));
    model.collapsed(legacy);
    assert.deepEqual(await pending, []);
    assert.ok(Date.now() - started < 10_000, 'not left waiting for the listing');
  });

  it('shows a failing watch as an error node that says it retries, and recovers', async () => {
    standIn.model.addFault({ kind: 'status', code: 500, verb: 'list', namespace: 'identity', times: 1 });
    const identity = await namespaceNode('identity');
    const nodes = await model.pods(identity);
    assert.equal(nodes.length, 1);
    const error = nodes[0] as MessageNode;
    assert.equal(error.severity, 'error');
    assert.match(error.hint, /\(retrying in the background\)$/);
    await nextChange(model, (c) => c.scope === 'namespace' && c.key === `${CONTEXT}/identity`);
    assert.equal(ofKind(await model.pods(identity), 'pod').length, 2);
  });

  it('stops announcing to a listener once its subscription is disposed', async () => {
    const seen: MeshChange[] = [];
    const subscription = model.onDidChange((c) => seen.push(c));
    model.refresh();
    subscription.dispose();
    model.refresh();
    assert.deepEqual(seen, [{ scope: 'all' }]);
  });
});
