import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeLenses, diagnosticCode, fixtureUri, withSetting } from './lintHelpers';
import { activateExtension, waitFor } from '../helpers';

/** Mesh Doctor diagnostics of one rule on a file, whichever collection holds them. */
const ofCode = (uri: vscode.Uri, code: string): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mesh-doctor' && diagnosticCode(d) === code);

const write = (uri: vscode.Uri, text: string): Thenable<void> => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));

// Shapes as real repositories write them: the IstioOperator of istio.io's ProxyConfig docs, a
// Namespace labelled for injection, a Deployment with no Istio text, PeerAuthentication and
// DestinationRule as istio.io's "Mutual TLS Migration" task writes them. Own folder and namespaces,
// so no other suite's fixture is joined with these.
const OPERATOR = 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: cp, namespace: istio-system}\nspec:\n  meshConfig:\n' +
  '    defaultConfig:\n      holdApplicationUntilProxyStarts: true\n      terminationDrainDuration: 45s\n';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: xf-shop\n  labels:\n    istio-injection: enabled\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: xf-shop}\nspec:\n  selector: {matchLabels: {app: cart}}\n  template:\n' +
  '    metadata: {labels: {app: cart}}\n    spec:\n      terminationGracePeriodSeconds: 40\n      containers: [{name: cart, image: cart:1}]\n';
const PEER = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: xf-shop\nspec:\n  mtls:\n    mode: STRICT\n';
const RULE_JSON = JSON.stringify({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'web', namespace: 'xf-shop' },
  spec: { host: 'web.xf-shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } },
}, null, 2);

describe('lint: cross-file rules in the editor, through the workspace index', function () {
  // The index first scans the whole fixture workspace (its pathological files included) on one
  // worker, so on a loaded machine a change can wait behind that scan for tens of seconds.
  this.timeout(240_000);
  const folder = (): vscode.Uri => fixtureUri('generated-crossfile');
  const file = (name: string): vscode.Uri => vscode.Uri.joinPath(folder(), name);

  before(async () => {
    await activateExtension();
    await write(file('istio/operator.yaml'), OPERATOR);
    await write(file('apps/namespace.yaml'), NAMESPACE);
    await write(file('apps/cart.yaml'), DEPLOYMENT);
    await write(file('apps/peer.yaml'), PEER);
    await write(file('apps/web-dr.json'), RULE_JSON);
  });
  after(async () => {
    await vscode.workspace.fs.delete(folder(), { recursive: true });
  });

  it('puts a mesh-wide drain at the Deployment it outlasts, with the mesh file as related information and in the lens, and follows edits of the mesh file', async () => {
    const cart = file('apps/cart.yaml');
    const [drain] = await waitFor('the drain finding on the Deployment', () => { const d = ofCode(cart, 'drain-exceeds-grace'); return d.length === 1 ? d : undefined; }, 90_000);
    assert.equal(drain.range.start.line, 8, 'at terminationGracePeriodSeconds');
    assert.match(drain.message, /terminationDrainDuration 45s/);
    assert.equal(drain.relatedInformation?.[0].location.uri.toString(), file('istio/operator.yaml').toString());
    assert.equal(drain.relatedInformation?.[0].location.range.start.line, 7);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(cart));
    const lens = await waitFor('the cross-file lens', async () => (await codeLenses(cart)).find((l) => l.command?.title.includes('terminationDrainDuration')));
    assert.match(lens.command!.title, /\(see lint\/generated-crossfile\/istio\/operator\.yaml\)$/);
    await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
    await waitFor('the mesh file to be the active editor', () => (vscode.window.activeTextEditor?.document.uri.path.endsWith('/istio/operator.yaml') ? true : undefined));

    await write(file('istio/operator.yaml'), OPERATOR.replace('45s', '20s'));
    await waitFor('the finding to go once the drain is shorter than the grace period', () => (ofCode(cart, 'drain-exceeds-grace').length === 0 ? true : undefined), 90_000);
  });

  it('reads the JSON DestinationRule only with meshDoctor.lint.includeJson, and then reports it under the STRICT PeerAuthentication of the other file', async () => {
    const rule = file('apps/web-dr.json');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(ofCode(rule, 'mtls-disabled-under-strict'), [], 'JSON is not scanned by default');
    const restore = await withSetting('lint.includeJson', true);
    try {
      const [conflict] = await waitFor('the mTLS conflict on the JSON rule', () => { const d = ofCode(rule, 'mtls-disabled-under-strict'); return d.length === 1 ? d : undefined; }, 90_000);
      assert.match(conflict.message, /PeerAuthentication xf-shop\/default \(lint\/generated-crossfile\/apps\/peer\.yaml:8\)/);
      assert.equal(conflict.relatedInformation?.[0].location.uri.toString(), file('apps/peer.yaml').toString());
      await write(file('apps/peer.yaml'), PEER.replace('STRICT', 'PERMISSIVE'));
      await waitFor('the conflict to go once the policy is PERMISSIVE', () => (ofCode(rule, 'mtls-disabled-under-strict').length === 0 ? true : undefined), 90_000);
    } finally {
      await restore();
    }
  });
});
