import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../lint/lintHelpers';
import { IntegrationMesh, setUpMesh } from '../debugLogging/meshSetup';
import type { EnableResult } from '../../../src/debugLogging/enableCommand';

describe('tailing Envoy and app logs', function () {
  this.timeout(120_000);
  let mesh: IntegrationMesh;

  before(async () => {
    mesh = await setUpMesh('tail-incident');
    // A default install writes no access log; the UF,URX highlight needs one, turned on the way the
    // README says (a Telemetry resource for the namespace).
    mesh.standIn.model.setAccessLogTelemetry('shop', true);
  });
  after(async () => {
    await vscode.commands.executeCommand('meshDoctor.tail.stop');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('meshDoctor.debugLogging.restoreAll');
    await mesh?.restore();
  });
  afterEach(() => mesh.standIn.model.clearFaults());

  const snapshot = (uri: vscode.Uri) => mesh.api.tail.manager.snapshot(uri);
  const editorText = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();

  it("shows the incident's lines with connect timeouts, UF,URX flags and the app's Connection reset highlighted", async () => {
    const [pod] = await mesh.checkoutPods();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('meshDoctor.tail.appAndEnvoy', { pod });
    assert.ok(uri, 'the tail did not start');
    const raised = await vscode.commands.executeCommand<EnableResult>('meshDoctor.debugLogging.enable', { pod }, { preset: 'connection' });
    assert.equal(raised.raised.length, 1);
    const snap = await waitFor(
      'all three kinds of highlight',
      () => {
        const s = snapshot(uri);
        const kinds = new Set(s?.highlights.map((h) => h.kind));
        return kinds.has('connectTimeout') && kinds.has('responseFlags') && kinds.has('connectionReset') ? s : undefined;
      },
      60_000,
    );
    const lines = snap.text.split('\n');
    for (const h of snap.highlights) {
      const marked = lines[h.line].slice(h.start, h.end);
      if (h.kind === 'connectTimeout') assert.equal(marked.toLowerCase(), 'connect timeout');
      if (h.kind === 'responseFlags') assert.match(marked, /\b(UF|URX|UC|UH|UT|DC|NR)\b/);
      if (h.kind === 'connectionReset') assert.match(lines[h.line], new RegExp(`^\\[${pod.name}/(?!istio-proxy)`));
    }
    assert.ok(lines.slice(1).every((l) => l.startsWith(`[${pod.name}/`) || l.startsWith('── mesh-doctor:')), 'every line is prefixed with pod/container');
    // The editor shows the same text the highlights were computed on (after the throttled update).
    await waitFor('the editor to catch up', () => {
      const current = snapshot(uri)!.text;
      return editorText(uri) === current ? true : undefined;
    }, 10_000).catch(() => undefined);
    const shown = editorText(uri) ?? '';
    assert.ok(shown.includes('connect timeout'), 'the editor document shows the timeouts');
    await vscode.commands.executeCommand('meshDoctor.debugLogging.restore', { pod });
  });

  it('survives dropped log streams without repeating or losing a line', async () => {
    const pods = await mesh.checkoutPods();
    const pod = pods[1];
    // A drop fault applies to log streams opened after it: the tail's first two streams are cut.
    mesh.standIn.model.addFault({ kind: 'dropLogStream', pod: pod.name, verb: 'log', afterMs: 600, times: 2 });
    const uri = await vscode.commands.executeCommand<vscode.Uri>('meshDoctor.tail.envoy', { pod });
    assert.ok(uri);
    await waitFor('the first lines', () => (snapshot(uri)!.text.split('\n').length > 2 ? true : undefined), 20_000);
    const tag = `tail-seq-${Date.now()}`;
    const total = 300;
    for (let i = 0; i < total; i += 10) {
      mesh.standIn.model.emitLog('shop', pod.name, 'istio-proxy', Array.from({ length: 10 }, (_, j) => `${tag} n=${i + j}`));
      await new Promise((r) => setTimeout(r, 40));
    }
    const seen = await waitFor(
      `all ${total} numbered lines`,
      () => {
        const nums = snapshot(uri)!.text.split('\n').flatMap((l) => {
          const m = new RegExp(`${tag} n=(\\d+)$`).exec(l);
          return m ? [Number(m[1])] : [];
        });
        return nums.length >= total ? nums : undefined;
      },
      30_000,
    );
    assert.deepEqual(seen, Array.from({ length: total }, (_, i) => i));
    assert.ok(/── mesh-doctor: .*resuming/.test(snapshot(uri)!.text), 'the interruption is shown in the tail');
  });

  it('stops when its editor is closed', async () => {
    const pod = (await mesh.checkoutPods())[2];
    const uri = await vscode.commands.executeCommand<vscode.Uri>('meshDoctor.tail.envoy', { pod });
    assert.ok(mesh.api.tail.manager.openUris().some((u) => u.toString() === uri.toString()));
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the session to stop', () => (mesh.api.tail.manager.openUris().some((u) => u.toString() === uri.toString()) ? undefined : true), 10_000);
  });
});
