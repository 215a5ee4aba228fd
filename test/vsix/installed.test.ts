import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startStandIn, type StandIn } from '../standin';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  });
}

describe('the packaged .vsix', () => {
  const ext = () => vscode.extensions.getExtension('mesh-doctor.mesh-doctor');

  it('is installed from the .vsix, not loaded from the repository', () => {
    const e = ext();
    assert.ok(e, 'mesh-doctor.mesh-doctor is not installed');
    assert.ok(!fs.existsSync(path.join(e.extensionPath, 'src')), `${e.extensionPath} looks like the source tree`);
  });

  it('holds only what runs: the bundle, media, manifest and docs', () => {
    const files = listFiles(ext()!.extensionPath);
    // vsce lower-cases the readme and changelog names inside the package.
    const unexpected = files.filter((f) => !/^(dist\/|media\/|package\.json$|readme\.md$|changelog\.md$|license(\.txt)?$|\.vsixmanifest$|\[content_types\]\.xml$)/i.test(f));
    assert.deepStrictEqual(unexpected, [], `the .vsix ships files that do not run: ${unexpected.join(', ')}`);
    assert.ok(files.includes('dist/extension.js'), 'dist/extension.js is missing');
    assert.ok(!files.some((f) => f.endsWith('.map')), 'source maps are shipped');
    assert.ok(!files.some((f) => f.includes('-failed.png')), 'failure screenshots of test runs are shipped');
  });

  it('activates on an Istio manifest and flags its 1s connect timeout', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'vsix', 'istio-operator.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diags = await until('a mesh-doctor diagnostic', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mesh-doctor');
      return d.length ? d : undefined;
    });
    assert.strictEqual(ext()!.isActive, true);
    assert.strictEqual(diags[0].range.start.line, 6);
    assert.match(diags[0].message, /1s/);
  });
});

/** The stand-in's pod names in namespace shop, read from its API server directly (setup only). */
function shopPodNames(standIn: StandIn): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const request = https.get(`${standIn.url}/api/v1/namespaces/shop/pods`, { ca: standIn.caCertPem, headers: { authorization: `Bearer ${standIn.token}` } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve((JSON.parse(body) as { items: { metadata: { name: string } }[] }).items.map((p) => p.metadata.name));
        } catch (err) {
          reject(err);
        }
      });
    });
    request.on('error', reject);
  });
}

/** How much of the incident the stand-in has replayed before the test reads it. */
const HISTORY_MS = 3 * 60_000;

describe('the packaged .vsix against the stand-in mesh', () => {
  // Cluster features load @kubernetes/client-node lazily from dist/client-node.js: this proves the
  // packaged file is there and works, which the development build cannot show.
  let standIn: StandIn;
  let previous: string | undefined;

  before(async () => {
    // Three minutes of the incident with the access log on for shop, so every reset has the Envoy
    // line that explains it (on a default install each is rightly unexplained) and enough repeats
    // for the 1 s timeout to show in their durations.
    standIn = await startStandIn({ scenario: 'incident', contextName: 'vsix-incident', startTime: Date.now() - HISTORY_MS, manualClock: true });
    standIn.model.setAccessLogTelemetry('shop', true);
    standIn.model.advance(HISTORY_MS);
    const config = vscode.workspace.getConfiguration('meshDoctor');
    previous = config.inspect<string>('kubeconfig')?.globalValue;
    await config.update('kubeconfig', standIn.kubeconfigPath, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('meshDoctor').update('kubeconfig', previous, vscode.ConfigurationTarget.Global);
    await standIn?.close();
  });

  it('reads the incident pod\'s live logs, and any reset in them is the 1s connect timeout', async () => {
    const checkout = (await shopPodNames(standIn)).find((n) => n.startsWith('checkout-'));
    assert.ok(checkout, 'no checkout pod in the stand-in');
    const pod = { context: 'vsix-incident', namespace: 'shop', name: checkout };
    // The public command, as a Mesh tree pod node would run it: the packaged annotator reaches the
    // stand-in through dist/client-node.js and correlates the pod's app and istio-proxy logs.
    type Run = { summary: { sources: { label: string }[] }; resets: { cluster: string | null; connectTimeoutSeconds: number | null }[] };
    const run = await vscode.commands.executeCommand<Run | undefined>(
      'meshDoctor.annotateResets',
      { pod, minutes: 5 },
    );
    assert.ok(run, 'the packaged annotator showed no run (see the Mesh Doctor output)');
    assert.deepStrictEqual(run.summary.sources.map((s) => s.label).sort(), [`shop/${checkout}/checkout`, `shop/${checkout}/istio-proxy`]);
    assert.ok(run.resets.length >= 10, `${run.resets.length} resets in three minutes of the incident`);
    assert.deepEqual(run.resets.filter((r) => !(r.cluster === 'outbound|443||idp.example.com' && r.connectTimeoutSeconds === 1)), []);
  });
});
