import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { shortPodName } from '../../../src/core/envoyLogging/tailFormat';
import { TAIL_LANGUAGE } from '../../../src/tail/tailDocument';
import { waitFor } from '../helpers';
import { type IntegrationMesh, type TestFeatures, buildFeatures, setUpMesh } from '../debugLogging/meshSetup';

const TAIL_COMMANDS = ['envoy', 'appAndEnvoy', 'envoyForWorkload', 'appAndEnvoyForWorkload', 'stop'].map((c) => `meshDoctor.tail.${c}`);
const editorText = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();

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
    await mesh?.restore();
  });
  afterEach(() => mesh.standIn.model.clearFaults());

  // Before the test builds its own tailing: its document provider would answer for every tail URI.
  it("registers its commands in the extension; the registered tail opens an editor with the pod's Envoy log, and the registered stop runs", async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of TAIL_COMMANDS) assert.ok(commands.includes(id), `${id} is registered`);
    const [pod] = await mesh.checkoutPods();
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('meshDoctor.tail.envoy', { pod });
    assert.ok(uri, 'the tail did not start');
    const text = await waitFor('the first log lines', () => {
      const t = editorText(uri);
      return t && t.split('\n').length > 2 ? t : undefined;
    }, 20_000);
    assert.ok(text.startsWith(`# Tailing Envoy logs of shop/${pod.name} (${mesh.context})`), text.slice(0, 200));
    // Its own language wraps long lines by default (package.json), without touching the user's setting.
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())!;
    assert.equal(document.languageId, TAIL_LANGUAGE);
    assert.equal(vscode.workspace.getConfiguration('editor', document).get('wordWrap'), 'on');
    assert.equal(vscode.workspace.getConfiguration('editor').inspect('wordWrap')?.globalValue, undefined, 'the user setting editor.wordWrap was changed');
    await vscode.commands.executeCommand('meshDoctor.tail.stop');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** The feature built by the test with a scripted UI; it reads the tails' text and highlights itself. */
  describe('built by the test', () => {
    let features: TestFeatures;
    before(() => {
      features = buildFeatures();
    });
    after(async () => {
      await features?.tailing.stop();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await features?.debugLogging.restoreAll();
      features?.dispose();
    });

    const snapshot = (uri: vscode.Uri) => features.tailing.manager.snapshot(uri);

    it("shows the incident's lines with connect timeouts, UF,URX flags and the app's Connection reset highlighted", async () => {
      const [pod] = await mesh.checkoutPods();
      const uri = await features.tailing.appAndEnvoy({ pod });
      assert.ok(uri, 'the tail did not start');
      const raised = await features.debugLogging.enable({ pod }, { preset: 'connection' });
      assert.equal(raised?.raised.length, 1);
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
        if (h.kind === 'connectionReset') assert.ok(lines[h.line].startsWith(`${shortPodName(pod.name)}/`) && !lines[h.line].includes('/proxy │'), lines[h.line]);
      }
      assert.ok(lines.slice(1).every((l) => l.startsWith(`${shortPodName(pod.name)}/`) || l.startsWith('── mesh-doctor:')), 'every line is prefixed with the short pod/container');
      // The short prefix leaves connect timeout on screen; the full names are its hover.
      const timeoutLine = lines[snap.highlights.find((h) => h.kind === 'connectTimeout')!.line];
      assert.ok(timeoutLine.indexOf('│') < 26, timeoutLine.slice(0, 60));
      const prefix = snap.prefixes.find((p) => p.line === snap.highlights[0].line)!;
      assert.equal(prefix.pod, pod.name);
      assert.equal(lines[prefix.line].slice(prefix.end - 2, prefix.end), '│ ');
      // The editor shows the same text the highlights were computed on (after the throttled update).
      await waitFor('the editor to catch up', () => {
        const current = snapshot(uri)!.text;
        return editorText(uri) === current ? true : undefined;
      }, 10_000).catch(() => undefined);
      const shown = editorText(uri) ?? '';
      assert.ok(shown.includes('connect timeout'), 'the editor document shows the timeouts');
      await features.debugLogging.restore({ pod });
    });

    it('survives dropped log streams without repeating or losing a line', async () => {
      const pods = await mesh.checkoutPods();
      const pod = pods[1];
      // A drop fault applies to log streams opened after it: the tail's first two streams are cut.
      mesh.standIn.model.addFault({ kind: 'dropLogStream', pod: pod.name, verb: 'log', afterMs: 600, times: 2 });
      const uri = await features.tailing.envoy({ pod });
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
      const uri = await features.tailing.envoy({ pod });
      assert.ok(uri);
      const { manager } = features.tailing;
      assert.ok(manager.openUris().some((u) => u.toString() === uri.toString()));
      await vscode.window.showTextDocument(uri);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor('the session to stop', () => (manager.openUris().some((u) => u.toString() === uri.toString()) ? undefined : true), 10_000);
    });

    it('reports a failed start through the UI instead of throwing', async () => {
      const before = features.ui.notifications.length;
      const uri = await features.tailing.envoyForWorkload({ pod: { context: mesh.context, namespace: 'shop', name: 'no-such-pod' } });
      assert.equal(uri, undefined);
      const shown = features.ui.notifications.slice(before);
      assert.equal(shown.length, 1);
      assert.equal(shown[0].severity, 'error');
      assert.match(shown[0].message, /^Could not tail logs: /);
    });
  });
});
