import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { startStandIn, type StandIn } from '../../standin';
import { clusterRevealer } from '../../../src/explorer/commands/revealCluster';
import { switchActiveContext } from '../../../src/explorer/commands/switchContext';
import { KubeSession } from '../../../src/explorer/kubeSession';
import { MeshModel } from '../../../src/explorer/meshModel';
import { MeshTreeProvider } from '../../../src/explorer/meshTreeProvider';
import type { ClusterNode, ContextNode, MeshNode } from '../../../src/explorer/nodes';
import { sessionAccess } from '../../../src/explorer/sessionAccess';
import { Configuration } from '../../../src/services/configuration';
import { RaisedLevels } from '../../../src/services/raisedLevels';
import type { UserInterface } from '../../../src/services/ui';
import { activateExtension, MemoryMemento, waitFor } from '../helpers';

/** A tree item as the user sees it, in plain data. */
interface ItemText {
  readonly label: string;
  readonly description: string;
  readonly contextValue: string;
  readonly tooltip: string;
  readonly collapsible: boolean;
  readonly id: string | undefined;
}

const CONTEXT = 'explorer-incident';
const OTHER_CONTEXT = 'explorer-other';
const IDP = 'outbound|443||idp.example.com';
const PAYMENTS = 'outbound|8443||payments.shop.svc.cluster.local';
const CATALOG = 'outbound|8080||catalog.shop.svc.cluster.local';

function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : label?.label ?? '';
}

function textOf(item: vscode.TreeItem): ItemText {
  const tooltip = item.tooltip;
  return {
    label: labelOf(item),
    description: typeof item.description === 'string' ? item.description : '',
    contextValue: item.contextValue ?? '',
    // Markdown tooltips backslash-escape the punctuation they quote: compare the text as shown.
    tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '').replace(/\\([!-/:-@[-`{-~])/g, '$1'),
    collapsible: item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
    id: item.id,
  };
}

function labels(items: readonly ItemText[]): string[] {
  return items.map((n) => n.label);
}

/** A cluster row leads with its verdict, then the name: `1s ⚠ · 12 connect fails · outbound|443||idp.example.com`. */
function isRowOf(label: string, name: string): boolean {
  return label === name || label.endsWith(` · ${name}`);
}

function clusterRow(items: readonly ItemText[], name: string): ItemText {
  const row = items.find((c) => isRowOf(c.label, name));
  assert.ok(row, `no row for ${name} among ${labels(items).join(', ')}`);
  return row;
}

/**
 * The Mesh tree as the view reads it: a model and provider of the test's own, built from the
 * product modules with the real vscode API, against a stand-in of its own (so faults and pod
 * deletions never disturb other features' tests). What only the registered view has (its filter,
 * reveal, node commands, switching the extension's active context) goes through the real commands.
 */
describe('mesh explorer', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  let previousKubeconfig: string | undefined;
  let session: KubeSession;
  let model: MeshModel;
  let provider: MeshTreeProvider;
  let configuration: Configuration;
  let pods: string[];

  /** Follows `path` (labels: context, namespace, pod, direction group, cluster) from the root. */
  async function nodeAt(path: readonly string[]): Promise<MeshNode | undefined> {
    let node: MeshNode | undefined;
    for (const label of path) {
      const children = await provider.getChildren(node);
      const next = children.find((c) => isRowOf(labelOf(provider.getTreeItem(c)), label));
      if (!next) throw new Error(`no node "${label}"; have ${children.map((c) => labelOf(provider.getTreeItem(c))).join(', ')}`);
      node = next;
    }
    return node;
  }

  async function childrenAt(path: readonly string[]): Promise<ItemText[]> {
    const children = await provider.getChildren(await nodeAt(path));
    return children.map((c) => textOf(provider.getTreeItem(c)));
  }


  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', contextName: CONTEXT, extraContexts: [{ name: OTHER_CONTEXT }] });
    await activateExtension();
    const config = vscode.workspace.getConfiguration('meshDoctor');
    previousKubeconfig = config.inspect<string>('kubeconfig')?.globalValue;
    await config.update('kubeconfig', standIn.kubeconfigPath, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    session = new KubeSession(new MemoryMemento());
    model = new MeshModel(sessionAccess(session), { info: () => undefined, warn: () => undefined });
    configuration = new Configuration();
    provider = new MeshTreeProvider(model, () => configuration.minimum, new RaisedLevels());
    pods = labels(await waitFor('the shop pods', async () => {
      const list = await childrenAt([CONTEXT, 'shop']);
      return list.some((p) => p.label.startsWith('checkout-')) ? list : undefined;
    }, 30_000));
  });

  after(async () => {
    provider?.dispose();
    configuration?.dispose();
    model?.dispose();
    await vscode.workspace.getConfiguration('meshDoctor').update('kubeconfig', previousKubeconfig, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    await standIn?.close();
  });

  afterEach(() => standIn.model.clearFaults());

  const pod = (prefix: string) => {
    const name = pods.find((p) => p.startsWith(prefix));
    assert.ok(name, `no ${prefix}* pod among ${pods.join(', ')}`);
    return name;
  };

  it('lists the contexts, active first, and namespaces with their meshed pod counts', async () => {
    const contexts = await childrenAt([]);
    assert.deepEqual(labels(contexts), [CONTEXT, OTHER_CONTEXT]);
    assert.equal(contexts[0].contextValue, 'meshContextCurrent');
    assert.equal(contexts[1].contextValue, 'meshContext');
    const namespaces = await childrenAt([CONTEXT]);
    assert.deepEqual(labels(namespaces), ['identity', 'istio-system', 'legacy', 'shop']);
    const shop = namespaces.find((n) => n.label === 'shop')!;
    assert.match(shop.description, /^7 meshed \/ 7 pods$/);
    assert.match(namespaces.find((n) => n.label === 'legacy')!.description, /^2 meshed \/ 3 pods$/);
  });

  it('shows pods with phase, readiness and sidecar version; pods without a sidecar are marked', async () => {
    const checkout = (await childrenAt([CONTEXT, 'shop'])).find((p) => p.label.startsWith('checkout-'))!;
    assert.equal(checkout.contextValue, 'meshPod');
    assert.match(checkout.description, /^Running · 2\/2 · istio 1\.22\.3$/);
    const cart = (await childrenAt([CONTEXT, 'shop'])).find((p) => p.label.startsWith('cart-') && !p.label.startsWith('cart-redis'))!;
    assert.match(cart.description, /native sidecar/);
    const reports = (await childrenAt([CONTEXT, 'legacy'])).find((p) => p.label.startsWith('reports-'))!;
    assert.equal(reports.contextValue, 'meshPodNoSidecar');
    assert.match(reports.description, /no sidecar$/);
    assert.equal(reports.collapsible, false);
  });

  it('flags the incident pod\'s 1s identity-provider cluster with a row that leads with `1s ⚠` and its failures', async () => {
    const groups = await childrenAt([CONTEXT, 'shop', pod('checkout-')]);
    // A sidecar's cluster set on a default install: inbound|PORT|| clusters, Istio's own in Other.
    assert.deepEqual(labels(groups), ['Outbound', 'Inbound', 'Other']);
    const outbound = await childrenAt([CONTEXT, 'shop', pod('checkout-'), 'Outbound']);
    const idp = clusterRow(outbound, IDP);
    assert.equal(idp.contextValue, 'meshCluster');
    // Default stats matcher: no cluster stats, so the failures come from the hosts' counters; no earlier reading, no rate yet.
    assert.match(idp.label, /^1s ⚠ · [1-9]\d* connect fails · outbound\|443\|\|idp\.example\.com$/);
    assert.equal(idp.description, 'STRICT_DNS');
    assert.match(idp.tooltip, /connect-timeout: low/);
    assert.match(idp.tooltip, /hosts' cx_connect_fail \(timeouts included\): [1-9]/, 'the tooltip names the signal');
    assert.match(idp.tooltip, /upstream_rq_pending_overflow: n\/a/);
    assert.match(idp.tooltip, /Circuit breaker: max connections unlimited, pending unlimited, requests unlimited, retries unlimited/);
    assert.match(idp.tooltip, /TLS: Istio mutual TLS to sidecar endpoints \(auto mTLS\)/);
    assert.match(idp.tooltip, /rates appear after the next reading/);
    assert.match(idp.tooltip, /proxyStatsMatcher/);
    assert.match(idp.tooltip, /52\.14\.3\.7:443/);
    assert.doesNotMatch(idp.tooltip, /&nbsp;/, 'the tooltip wraps at word boundaries');
    const payments = clusterRow(outbound, PAYMENTS);
    assert.equal(payments.label, `10s · ${PAYMENTS}`);
    const other = await childrenAt([CONTEXT, 'shop', pod('checkout-'), 'Other']);
    // Istio's own 1 s clusters (xds-grpc, sds-grpc: bootstrap, pipe addresses) are never flagged low.
    const xds = clusterRow(other, 'xds-grpc');
    assert.equal(xds.label, '1s · xds-grpc');
    assert.match(xds.tooltip, /bootstrap cluster, set by Istio itself/);
  });

  it('decides "low" from the current minimum when rendering, re-rendering the loaded pod', async () => {
    const checkoutPath = [CONTEXT, 'shop', pod('checkout-')];
    await childrenAt(checkoutPath);
    const config = vscode.workspace.getConfiguration('meshDoctor');
    const previous = config.inspect<string>('connectTimeout.minimum')?.globalValue;
    const fired: (MeshNode | undefined)[] = [];
    const listening = provider.onDidChangeTreeData((n) => fired.push(n ?? undefined));
    try {
      await config.update('connectTimeout.minimum', '15s', vscode.ConfigurationTarget.Global);
      provider.minimumChanged();
      assert.ok(fired.some((n) => n?.kind === 'pod' && n.pod.name === pod('checkout-')), 'the loaded pod is re-rendered');
      const outbound = await childrenAt([...checkoutPath, 'Outbound']);
      const payments = clusterRow(outbound, PAYMENTS);
      assert.equal(payments.label, `10s ⚠ · ${PAYMENTS}`, 'a low timeout on a cluster with traffic');
      assert.match(payments.tooltip, /below the minimum 15s/);
      await config.update('connectTimeout.minimum', '500ms', vscode.ConfigurationTarget.Global);
      provider.minimumChanged();
      const relaxed = await childrenAt([...checkoutPath, 'Outbound']);
      assert.match(clusterRow(relaxed, IDP).label, /^1s · [1-9]\d* connect fails · /, 'not low any more; the failures still show');
    } finally {
      listening.dispose();
      await config.update('connectTimeout.minimum', previous, vscode.ConfigurationTarget.Global);
      provider.minimumChanged();
    }
  });

  it('filters clusters to those with problems, and back', async () => {
    try {
      provider.setProblemsOnly(true);
      const outbound = await childrenAt([CONTEXT, 'shop', pod('checkout-'), 'Outbound']);
      assert.equal(outbound.length, 1);
      clusterRow(outbound, IDP);
      const healthy = await childrenAt([CONTEXT, 'shop', pod('frontend-')]);
      assert.ok(!labels(healthy).includes('Outbound'), 'a healthy pod has no flagged outbound cluster');
    } finally {
      provider.setProblemsOnly(false);
    }
    assert.ok((await childrenAt([CONTEXT, 'shop', pod('checkout-'), 'Outbound'])).length > 1);
  });

  it('the problems filter hides from the revealer the clusters it hides from the view, and says so', async () => {
    const told: string[] = [];
    const ui = { notify: async (_severity: string, message: string) => void told.push(message) } as unknown as UserInterface;
    const revealer = clusterRevealer(provider, { reveal: async () => undefined }, ui);
    const checkout = { context: CONTEXT, namespace: 'shop', name: pod('checkout-') };
    try {
      provider.setProblemsOnly(true);
      assert.equal(await revealer.revealCluster(IDP, checkout), true);
      assert.equal(await revealer.revealCluster(PAYMENTS, checkout), false, 'a 10s cluster without failures is filtered out');
      assert.match(told[0], /is not shown under shop\/checkout-.* in the Mesh view \(the problems filter is on\)\.$/);
    } finally {
      provider.setProblemsOnly(false);
    }
    assert.equal(await revealer.revealCluster(PAYMENTS, checkout), true);
  });

  it('"Find where this is set" opens the DestinationRule for the cluster\'s host', async () => {
    await vscode.commands.executeCommand('meshDoctor.mesh.findSetting', await nodeAt([CONTEXT, 'shop', pod('checkout-'), 'Outbound', CATALOG]));
    const editor = await waitFor('catalog-dr.yaml to open', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.path.endsWith('/explorer/catalog-dr.yaml') ? e : undefined;
    }, 30_000);
    assert.equal(editor.document.getText(editor.selection), '10s');
    await vscode.commands.executeCommand('meshDoctor.mesh.findSetting', await nodeAt([CONTEXT, 'shop', pod('checkout-'), 'Outbound', IDP]));
    const idpEditor = await waitFor('a DestinationRule for idp.example.com to open', () => {
      const e = vscode.window.activeTextEditor;
      return e && /host: idp\.example\.com/.test(e.document.getText()) ? e : undefined;
    });
    assert.match(idpEditor.document.lineAt(idpEditor.selection.start.line).text, /connectTimeout:/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a cluster\'s config as read-only JSON', async () => {
    await vscode.commands.executeCommand('meshDoctor.mesh.openClusterConfig', await nodeAt([CONTEXT, 'shop', pod('checkout-'), 'Outbound', IDP]));
    const editor = await waitFor('the cluster JSON', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'mesh-doctor-cluster' ? e : undefined;
    });
    assert.equal(editor.document.languageId, 'json');
    const config = JSON.parse(editor.document.getText()) as { name: string; connect_timeout: string };
    assert.equal(config.name, IDP);
    assert.equal(config.connect_timeout, '1s');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows an error node that says what is forbidden when port-forward and exec are refused', async () => {
    const target = pod('loadgen-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', pod: target });
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'exec', pod: target });
    const nodes = await childrenAt([CONTEXT, 'shop', target]);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].contextValue, 'meshError');
    assert.match(nodes[0].label, /pods\/portforward and pods\/exec are forbidden/);
    assert.match(nodes[0].description, /permission to create pods\/portforward in namespace shop .*meshDoctor\.transport/);
  });

  it('falls back to exec when port-forward is refused', async () => {
    const target = pod('cart-redis-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', pod: target });
    const nodes = await childrenAt([CONTEXT, 'shop', target]);
    assert.equal(nodes[0].contextValue, 'meshInfo');
    assert.match(nodes[0].label, /through exec/);
    assert.ok(labels(nodes).includes('Outbound'));
  });

  it('reveals a cluster for other features (the ClusterRevealer service) and says when it cannot', async () => {
    // The explorer's revealer over the test's provider, with a view and a UI that record what it does.
    const revealed: MeshNode[] = [];
    const told: string[] = [];
    const ui = { notify: async (_severity: string, message: string) => void told.push(message) } as unknown as UserInterface;
    const revealer = clusterRevealer(provider, { reveal: async (node: MeshNode) => void revealed.push(node) }, ui);
    const checkout = { context: CONTEXT, namespace: 'shop', name: pod('checkout-') };

    assert.equal(await revealer.revealCluster(IDP, checkout), true);
    assert.equal(revealed.length, 1);
    assert.equal((revealed[0] as ClusterNode).cluster.name, IDP);
    assert.equal((revealed[0] as ClusterNode).pod.name, checkout.name);
    assert.deepEqual(told, []);

    assert.equal(await revealer.revealCluster('outbound|1||nowhere.example', checkout), false);
    assert.deepEqual(told, [`Mesh Doctor: cluster outbound|1||nowhere.example is not shown under shop/${checkout.name} in the Mesh view.`]);
    assert.equal(await revealer.revealCluster(IDP, null), false);
    assert.match(told[1], /expand the pod in the Mesh view to see cluster outbound\|443\|\|idp\.example\.com; the pod is not known here/);
    assert.equal(revealed.length, 1, 'a cluster that is not shown was revealed');
  });

  it('reveals a namespace for other features (the overview\'s rows) and says when it cannot', async () => {
    const revealed: MeshNode[] = [];
    const told: string[] = [];
    const ui = { notify: async (_severity: string, message: string) => void told.push(message) } as unknown as UserInterface;
    const revealer = clusterRevealer(provider, { reveal: async (node: MeshNode) => void revealed.push(node) }, ui);
    assert.equal(await revealer.revealNamespace(CONTEXT, 'shop'), true);
    assert.deepEqual(revealed.map((n) => n.kind === 'namespace' && `${n.context}/${n.namespace}`), [`${CONTEXT}/shop`]);
    assert.deepEqual(told, []);
    assert.equal(await revealer.revealNamespace(CONTEXT, 'nowhere'), false);
    assert.deepEqual(told, [`Mesh Doctor: namespace nowhere of context ${CONTEXT} is not listed in the Mesh view.`]);
    const refusing = clusterRevealer(provider, { reveal: () => Promise.reject(new Error('TreeError: cannot resolve')) }, ui);
    assert.equal(await refusing.revealNamespace(CONTEXT, 'shop'), false, 'a node the view does not show');
    assert.equal(told[1], `Mesh Doctor: namespace shop of context ${CONTEXT} could not be shown in the Mesh view.`);
    assert.equal(revealed.length, 1);
  });

  it('keeps a changed pod\'s identity: the node the view holds is refreshed and renders the new state', async () => {
    const target = pod('loadgen-');
    const held = await nodeAt([CONTEXT, 'shop', target]);
    assert.ok(held?.kind === 'pod');
    const before = provider.getTreeItem(held);
    const refreshed = new Promise<MeshNode | undefined>((resolve) => {
      const listening = provider.onDidChangeTreeData((n) => {
        if (n?.kind !== 'pod' || n.pod.name !== target) return;
        listening.dispose();
        resolve(n);
      });
    });
    standIn.model.modifyPod('shop', target, { phase: 'Pending' });
    try {
      assert.equal(await refreshed, held, 'the change is fired on the object the view was given');
      const after = provider.getTreeItem(held);
      assert.equal(after.id, before.id);
      assert.match(String(after.description), /^Pending · /);
      assert.match(String(before.description), /^Running · /);
    } finally {
      standIn.model.modifyPod('shop', target, { phase: 'Running' });
    }
  });

  it('cancels a pod\'s pending admin requests on refresh instead of showing stale clusters', async () => {
    const target = pod('checkout-');
    provider.refresh();
    standIn.model.addFault({ kind: 'delay', delayMs: 20_000, verb: 'portforward', pod: target });
    const pending = childrenAt([CONTEXT, 'shop', target]);
    // Let the expansion reach its admin requests (the namespace listing is not delayed).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    provider.refresh();
    assert.deepEqual(await pending, [], 'the cancelled expansion shows nothing rather than waiting 20 s');
    standIn.model.clearFaults();
    const again = await childrenAt([CONTEXT, 'shop', target]);
    assert.ok(labels(again).includes('Outbound'), `the next expansion asks again; it showed ${JSON.stringify(again)}`);
  });

  it('follows the cluster: a deleted pod disappears from the watched namespace', async () => {
    const victim = pod('frontend-');
    assert.ok(labels(await childrenAt([CONTEXT, 'shop'])).includes(victim));
    standIn.model.deletePod('shop', victim);
    const after = await waitFor(`${victim} to leave the tree`, async () => {
      const names = labels(await childrenAt([CONTEXT, 'shop']));
      return names.includes(victim) ? undefined : names;
    }, 20_000);
    // Still a real pod listing (not an error node): the other pods are there.
    assert.equal(after.filter((n) => n.startsWith('checkout-')).length, 3);
  });

  it('falls back to the context\'s namespace when listing pods cluster-wide is forbidden', async () => {
    // The registered view (opened by the reveal tests) would consume the one refused listing: hide it.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    // Stop the namespace watches first, so no relisting of theirs takes the one refused listing.
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    provider.refresh();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'list', times: 1 });
    try {
      const nodes = await childrenAt([CONTEXT]);
      assert.equal(nodes[0].contextValue, 'meshInfo');
      assert.match(nodes[0].label, /listing pods in all namespaces is forbidden: showing namespace default/);
      assert.deepEqual(labels(nodes.slice(1)), ['default']);
    } finally {
      standIn.model.clearFaults();
      provider.refresh();
    }
    assert.ok(labels(await childrenAt([CONTEXT])).includes('shop'));
  });

  it('switches the active context without touching the kubeconfig', async () => {
    const kubeconfigBefore = fs.readFileSync(standIn.kubeconfigPath, 'utf8');
    const other = (await provider.getChildren()).find((n): n is ContextNode => n.kind === 'context' && n.context === OTHER_CONTEXT)!;
    const own = (await provider.getChildren()).find((n): n is ContextNode => n.kind === 'context' && n.context === CONTEXT)!;
    try {
      await switchActiveContext(session, provider, other);
      const contexts = await childrenAt([]);
      assert.deepEqual(labels(contexts), [OTHER_CONTEXT, CONTEXT]);
      assert.equal(contexts[0].contextValue, 'meshContextCurrent');
      assert.match(contexts[1].description, /kubeconfig current-context/);
      // The registered command does the same for the extension's own session.
      await vscode.commands.executeCommand('meshDoctor.mesh.switchContext', other);
      assert.equal(fs.readFileSync(standIn.kubeconfigPath, 'utf8'), kubeconfigBefore);
    } finally {
      await vscode.commands.executeCommand('meshDoctor.mesh.switchContext', own);
      await switchActiveContext(session, provider, own);
    }
    assert.deepEqual(labels(await childrenAt([])), [CONTEXT, OTHER_CONTEXT]);
  });
});
