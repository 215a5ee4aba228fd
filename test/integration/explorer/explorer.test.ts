import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startStandIn, type StandIn } from '../../standin';
import { activateExtension, waitFor } from '../lint/lintHelpers';

interface NodeSnapshot {
  label: string;
  description: string;
  contextValue: string;
  tooltip: string;
  collapsible: boolean;
}

const CONTEXT = 'explorer-incident';
const OTHER_CONTEXT = 'explorer-other';
const IDP = 'outbound|443||idp.example.com';
const PAYMENTS = 'outbound|8443||payments.shop.svc.cluster.local';
const CATALOG = 'outbound|8080||catalog.shop.svc.cluster.local';

async function snapshot(path: string[]): Promise<NodeSnapshot[]> {
  return await vscode.commands.executeCommand<NodeSnapshot[]>('meshDoctor.internal.meshTreeSnapshot', path);
}

function runOn(path: string[], command: string): Thenable<unknown> {
  return vscode.commands.executeCommand('meshDoctor.internal.meshTreeSnapshot', path, command);
}

function labels(nodes: NodeSnapshot[]): string[] {
  return nodes.map((n) => n.label);
}

/**
 * The Mesh view against a stand-in of its own (started in the extension host), so faults and pod
 * deletions here never disturb other features' tests; the setting is restored afterwards.
 */
describe('mesh explorer', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  let previousKubeconfig: string | undefined;
  let pods: string[];

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', contextName: CONTEXT, extraContexts: [{ name: OTHER_CONTEXT }] });
    await activateExtension();
    const config = vscode.workspace.getConfiguration('meshDoctor');
    previousKubeconfig = config.inspect<string>('kubeconfig')?.globalValue;
    await config.update('kubeconfig', standIn.kubeconfigPath, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    pods = labels(await waitFor('the shop pods', async () => {
      const list = await snapshot([CONTEXT, 'shop']);
      return list.some((p) => p.label.startsWith('checkout-')) ? list : undefined;
    }, 30_000));
  });

  after(async () => {
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
    const contexts = await snapshot([]);
    assert.deepEqual(labels(contexts), [CONTEXT, OTHER_CONTEXT]);
    assert.equal(contexts[0].contextValue, 'meshContextCurrent');
    assert.equal(contexts[1].contextValue, 'meshContext');
    const namespaces = await snapshot([CONTEXT]);
    assert.deepEqual(labels(namespaces), ['identity', 'istio-system', 'legacy', 'shop']);
    const shop = namespaces.find((n) => n.label === 'shop')!;
    assert.match(shop.description, /^7 meshed \/ 7 pods$/);
    assert.match(namespaces.find((n) => n.label === 'legacy')!.description, /^2 meshed \/ 3 pods$/);
  });

  it('shows pods with phase, readiness and sidecar version; pods without a sidecar are marked', async () => {
    const checkout = (await snapshot([CONTEXT, 'shop'])).find((p) => p.label.startsWith('checkout-'))!;
    assert.equal(checkout.contextValue, 'meshPod');
    assert.match(checkout.description, /^Running · 2\/2 · istio 1\.22\.3$/);
    const cart = (await snapshot([CONTEXT, 'shop'])).find((p) => p.label.startsWith('cart-') && !p.label.startsWith('cart-redis'))!;
    assert.match(cart.description, /native sidecar/);
    const reports = (await snapshot([CONTEXT, 'legacy'])).find((p) => p.label.startsWith('reports-'))!;
    assert.equal(reports.contextValue, 'meshPodNoSidecar');
    assert.match(reports.description, /no sidecar$/);
    assert.equal(reports.collapsible, false);
  });

  it('flags the incident pod\'s 1s identity-provider cluster as `connect 1s ⚠` with its counters', async () => {
    const groups = await snapshot([CONTEXT, 'shop', pod('checkout-')]);
    assert.deepEqual(labels(groups), ['Outbound', 'Other']);
    const outbound = await snapshot([CONTEXT, 'shop', pod('checkout-'), 'Outbound']);
    const idp = outbound.find((c) => c.label === IDP)!;
    assert.ok(idp, `outbound clusters: ${labels(outbound).join(', ')}`);
    assert.equal(idp.contextValue, 'meshCluster');
    assert.match(idp.description, /^STRICT_DNS · connect 1s ⚠ · timeouts \d+ · fails \d+$/);
    assert.match(idp.tooltip, /52\.14\.3\.7:443/);
    const payments = outbound.find((c) => c.label === PAYMENTS)!;
    assert.match(payments.description, /^EDS · connect 10s · /);
    const other = await snapshot([CONTEXT, 'shop', pod('checkout-'), 'Other']);
    assert.match(other.find((c) => c.label.startsWith('inbound-vip|'))!.description, /connect default 5s ⚠/);
  });

  it('filters to low timeouts and connect failures, and back', async () => {
    try {
      await vscode.commands.executeCommand('meshDoctor.mesh.showLowTimeoutsOnly');
      const outbound = await snapshot([CONTEXT, 'shop', pod('checkout-'), 'Outbound']);
      assert.deepEqual(labels(outbound), [IDP]);
      const healthy = await snapshot([CONTEXT, 'shop', pod('frontend-')]);
      assert.ok(!labels(healthy).includes('Outbound'), 'a healthy pod has no flagged outbound cluster');
    } finally {
      await vscode.commands.executeCommand('meshDoctor.mesh.showAllClusters');
    }
    assert.ok((await snapshot([CONTEXT, 'shop', pod('checkout-'), 'Outbound'])).length > 1);
  });

  it('"Find where this is set" opens the DestinationRule for the cluster\'s host', async () => {
    await runOn([CONTEXT, 'shop', pod('checkout-'), 'Outbound', CATALOG], 'meshDoctor.mesh.findSetting');
    const editor = await waitFor('catalog-dr.yaml to open', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.path.endsWith('/explorer/catalog-dr.yaml') ? e : undefined;
    }, 30_000);
    assert.equal(editor.document.getText(editor.selection), '10s');
    await runOn([CONTEXT, 'shop', pod('checkout-'), 'Outbound', IDP], 'meshDoctor.mesh.findSetting');
    const idpEditor = await waitFor('a DestinationRule for idp.example.com to open', () => {
      const e = vscode.window.activeTextEditor;
      return e && /host: idp\.example\.com/.test(e.document.getText()) ? e : undefined;
    });
    assert.match(idpEditor.document.lineAt(idpEditor.selection.start.line).text, /connectTimeout:/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a cluster\'s config as read-only JSON', async () => {
    await runOn([CONTEXT, 'shop', pod('checkout-'), 'Outbound', IDP], 'meshDoctor.mesh.openClusterConfig');
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
    const nodes = await snapshot([CONTEXT, 'shop', target]);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].contextValue, 'meshError');
    assert.match(nodes[0].label, /pods\/portforward and pods\/exec are forbidden/);
    assert.match(nodes[0].description, /ask for create on pods\/portforward in namespace shop/);
  });

  it('falls back to exec when port-forward is refused', async () => {
    const target = pod('cart-redis-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', pod: target });
    const nodes = await snapshot([CONTEXT, 'shop', target]);
    assert.equal(nodes[0].contextValue, 'meshInfo');
    assert.match(nodes[0].label, /through exec/);
    assert.ok(labels(nodes).includes('Outbound'));
  });

  it('reveals a cluster for other features (meshDoctor.revealCluster) and says when it cannot', async () => {
    const target = { context: CONTEXT, namespace: 'shop', name: pod('checkout-') };
    assert.equal(await vscode.commands.executeCommand('meshDoctor.revealCluster', { cluster: IDP, pod: target }), true);
    assert.equal(await vscode.commands.executeCommand('meshDoctor.revealCluster', { cluster: 'outbound|1||nowhere.example', pod: target }), false);
  });

  it('cancels a pod\'s pending admin requests on refresh instead of showing stale clusters', async () => {
    const target = pod('checkout-');
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    standIn.model.addFault({ kind: 'delay', delayMs: 20_000, verb: 'portforward', pod: target });
    const pending = snapshot([CONTEXT, 'shop', target]);
    // Let the expansion reach its admin requests (the namespace listing is not delayed).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    assert.deepEqual(await pending, [], 'the cancelled expansion shows nothing rather than waiting 20 s');
    standIn.model.clearFaults();
    const again = await snapshot([CONTEXT, 'shop', target]);
    assert.ok(labels(again).includes('Outbound'), `the next expansion asks again; it showed ${JSON.stringify(again)}`);
  });

  it('follows the cluster: a deleted pod disappears from the watched namespace', async () => {
    const victim = pod('frontend-');
    assert.ok(labels(await snapshot([CONTEXT, 'shop'])).includes(victim));
    standIn.model.deletePod('shop', victim);
    const after = await waitFor(`${victim} to leave the tree`, async () => {
      const names = labels(await snapshot([CONTEXT, 'shop']));
      return names.includes(victim) ? undefined : names;
    }, 20_000);
    // Still a real pod listing (not an error node): the other pods are there.
    assert.equal(after.filter((n) => n.startsWith('checkout-')).length, 3);
  });

  it('falls back to the context\'s namespace when listing pods cluster-wide is forbidden', async () => {
    // The view itself (opened by the reveal test) would consume the one refused listing: hide it.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    // Stop the namespace watches first, so no relisting of theirs takes the one refused listing.
    await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'list', times: 1 });
    try {
      const nodes = await snapshot([CONTEXT]);
      assert.equal(nodes[0].contextValue, 'meshInfo');
      assert.match(nodes[0].label, /listing pods in all namespaces is forbidden: showing namespace default/);
      assert.deepEqual(labels(nodes.slice(1)), ['default']);
    } finally {
      standIn.model.clearFaults();
      await vscode.commands.executeCommand('meshDoctor.mesh.refresh');
    }
    assert.ok(labels(await snapshot([CONTEXT])).includes('shop'));
  });

  it('switches the active context without touching the kubeconfig', async () => {
    try {
      await runOn([OTHER_CONTEXT], 'meshDoctor.mesh.switchContext');
      const contexts = await snapshot([]);
      assert.deepEqual(labels(contexts), [OTHER_CONTEXT, CONTEXT]);
      assert.equal(contexts[0].contextValue, 'meshContextCurrent');
      assert.match(contexts[1].description, /kubeconfig current-context/);
    } finally {
      await runOn([CONTEXT], 'meshDoctor.mesh.switchContext');
    }
  });
});
