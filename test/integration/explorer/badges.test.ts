import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startStandIn, type StandIn } from '../../standin';
import { KubeSession } from '../../../src/explorer/kubeSession';
import { MeshModel } from '../../../src/explorer/meshModel';
import { MeshTreeProvider } from '../../../src/explorer/meshTreeProvider';
import type { MeshNode, PodNode } from '../../../src/explorer/nodes';
import { sessionAccess } from '../../../src/explorer/sessionAccess';
import { Configuration } from '../../../src/services/configuration';
import { RaisedLevels } from '../../../src/services/raisedLevels';
import { activateExtension, MemoryMemento, waitFor } from '../helpers';

const CONTEXT = 'badges-incident';

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function iconOf(item: vscode.TreeItem): string {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '';
}

/**
 * The badges as the Mesh view shows them, from the collapsed tree: a model and provider of the
 * test's own over the extension's KubeSession (real vscode API, real client-node), with the
 * background scan resumed as the visible view does.
 */
describe('mesh explorer badges', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  let previousKubeconfig: string | undefined;
  let model: MeshModel;
  let provider: MeshTreeProvider;
  let configuration: Configuration;
  let raised: RaisedLevels;

  const childrenOf = async (parent: MeshNode | undefined) => (await provider.getChildren(parent)).map((node) => ({ node, item: provider.getTreeItem(node) }));
  const contextNode = async () => (await childrenOf(undefined)).find((c) => labelOf(c.item) === CONTEXT)!.node;
  const namespaceRows = async () => childrenOf(await contextNode());
  const podRows = async (namespace: string) => {
    const ns = (await namespaceRows()).find((c) => labelOf(c.item) === namespace);
    assert.ok(ns, `namespace ${namespace}`);
    return childrenOf(ns.node);
  };

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', contextName: CONTEXT });
    await activateExtension();
    const config = vscode.workspace.getConfiguration('meshDoctor');
    previousKubeconfig = config.inspect<string>('kubeconfig')?.globalValue;
    await config.update('kubeconfig', standIn.kubeconfigPath, vscode.ConfigurationTarget.Global);
    configuration = new Configuration();
    model = new MeshModel(sessionAccess(new KubeSession(new MemoryMemento())), { info: () => undefined, warn: () => undefined }, { minimumSeconds: () => configuration.minimum.seconds });
    raised = new RaisedLevels();
    provider = new MeshTreeProvider(model, () => configuration.minimum, raised);
  });

  after(async () => {
    provider?.dispose();
    model?.dispose();
    raised?.dispose();
    configuration?.dispose();
    await vscode.workspace.getConfiguration('meshDoctor').update('kubeconfig', previousKubeconfig, vscode.ConfigurationTarget.Global);
    await standIn?.close();
  });

  it('from the collapsed tree, shop carries a badge with its 3 checkout pods, legacy its 2, healthy namespaces none', async () => {
    await namespaceRows();
    model.badges.resume();
    const shop = await waitFor('the shop badge', async () => {
      const row = (await namespaceRows()).find((c) => labelOf(c.item) === 'shop');
      return row && /^⚠ 3 pods: connect-timeout · 7 meshed \/ 7 pods$/.test(String(row.item.description)) ? row : undefined;
    }, 60_000);
    assert.equal(iconOf(shop.item), 'warning');
    const rows = await waitFor('every namespace scanned', async () => {
      const all = await namespaceRows();
      return all.every((c) => !String(c.item.description).includes('scanning')) ? all : undefined;
    }, 60_000);
    const description = (ns: string) => String(rows.find((c) => labelOf(c.item) === ns)!.item.description);
    assert.equal(description('legacy'), '⚠ 2 pods: connect-timeout · 2 meshed / 3 pods');
    assert.equal(description('identity'), '2 meshed / 2 pods');
    assert.equal(iconOf(rows.find((c) => labelOf(c.item) === 'identity')!.item), 'symbol-namespace');
    const pods = await podRows('shop');
    const marked = pods.filter((p) => String(p.item.description).startsWith('⚠ 1 cluster: connect-timeout · Running'));
    assert.deepEqual(marked.map((p) => labelOf(p.item).replace(/-[a-z0-9]+-[a-z0-9]+$/, '')), ['checkout', 'checkout', 'checkout']);
    assert.ok(marked.every((p) => iconOf(p.item) === 'warning'));
    const frontend = pods.find((p) => labelOf(p.item).startsWith('frontend-'))!;
    assert.match(String(frontend.item.description), /^Running · /);
  });

  it('the problems filter keeps only the namespaces and pods with problems, and back', async () => {
    try {
      provider.setProblemsOnly(true);
      assert.deepEqual((await namespaceRows()).map((c) => labelOf(c.item)), ['legacy', 'shop']);
      assert.deepEqual((await podRows('shop')).map((c) => labelOf(c.item).replace(/-[a-z0-9]+-[a-z0-9]+$/, '')), ['checkout', 'checkout', 'checkout']);
      assert.deepEqual((await podRows('legacy')).map((c) => labelOf(c.item).replace(/-[a-z0-9]+-[a-z0-9]+$/, '')), ['billing', 'invoices']);
    } finally {
      provider.setProblemsOnly(false);
    }
    assert.deepEqual((await namespaceRows()).map((c) => labelOf(c.item)), ['identity', 'istio-system', 'legacy', 'shop']);
  });

  it('marks a pod with raised log levels with the time left', async () => {
    const frontend = (await podRows('shop')).find((p) => labelOf(p.item).startsWith('frontend-'))!;
    const pod = (frontend.node as PodNode).pod;
    const fired: MeshNode[] = [];
    const listening = provider.onDidChangeTreeData((n) => n && fired.push(n));
    try {
      raised.publish([{ pod, revertAt: Date.now() + 14.5 * 60_000, description: 'connection problems at debug' }]);
      assert.ok(fired.some((n) => n.kind === 'pod' && n.pod.name === pod.name), 'the pod is re-rendered');
      const item = provider.getTreeItem(frontend.node);
      assert.match(String(item.description), /^debug logging 15m left · Running · /);
      assert.equal(iconOf(item), 'debug');
      assert.match((item.tooltip as vscode.MarkdownString).value, /connection problems at debug/);
    } finally {
      listening.dispose();
      raised.publish([]);
    }
    assert.match(String(provider.getTreeItem(frontend.node).description), /^Running · /);
  });
});
