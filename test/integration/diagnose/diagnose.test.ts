import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Diagnose, createDiagnose } from '../../../src/diagnose/feature';
import { DocumentLinter } from '../../../src/lint/documentLinter';
import { LintWorkerClient } from '../../../src/lint/lintWorkerClient';
import { workspaceSettingSites } from '../../../src/lint/settingLocator';
import { WorkspaceSettingsIndex } from '../../../src/lint/workspaceIndex';
import { Configuration } from '../../../src/services/configuration';
import { createEnvoyLogRaiser } from '../../../src/services/envoyLogRaiser';
import { type IntegrationMesh, setUpMesh } from '../debugLogging/meshSetup';
import { MemoryMemento, ScriptedUi, TestContext, waitFor } from '../helpers';

const IDP = 'outbound|443||idp.example.com';
const DIAGNOSE_COMMANDS = ['run', 'workload', 'verifyFix', 'exportReport', 'openManifest'].map((c) => `meshDoctor.diagnose.${c}`);
/** The incident's fix as the user's pipeline would apply it: the identity provider's DestinationRule at 10 s. */
const FIXED_RULE = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'idp', namespace: 'shop' }, spec: { host: 'idp.example.com', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '10s' } } } } };
/** Short waits: the stand-in's clock runs 50 times faster than the test's (see the ticker). */
const QUICK = { sampleSeconds: 0.5, minutes: 5 };

/**
 * Diagnose built by the test from the product's modules with a scripted UI and the lint feature's
 * workspace index (the fixture workspace: lint/mesh-operator.yaml sets the incident's mesh-wide 1 s,
 * lint/idp-dr.yaml a DestinationRule for the identity provider), against the stand-in's incident.
 */
describe('Diagnose, Verify Fix and Export Report', function () {
  this.timeout(120_000);
  let mesh: IntegrationMesh;
  let ctx: TestContext;
  let ui: ScriptedUi;
  let diagnose: Diagnose;
  let ticker: NodeJS.Timeout;
  let exportDir: string;

  before(async () => {
    mesh = await setUpMesh('diagnose-incident');
    mesh.standIn.model.advance(20_000);
    ticker = setInterval(() => mesh.standIn.model.advance(1000), 20);
    ctx = new TestContext();
    ui = new ScriptedUi();
    const config = ctx.own(new Configuration());
    const worker = ctx.own(new LintWorkerClient());
    const linter = ctx.own(new DocumentLinter(worker, config, ctx.own(vscode.languages.createDiagnosticCollection('mesh-doctor-diagnose-test')), ctx.output));
    const index = ctx.own(new WorkspaceSettingsIndex(worker, linter, config, ctx.output));
    diagnose = createDiagnose(ctx, ui, config, workspaceSettingSites(index), createEnvoyLogRaiser(ctx, new MemoryMemento()));
    exportDir = mkdtempSync(path.join(tmpdir(), 'mesh-doctor-export-'));
  });
  after(async () => {
    clearInterval(ticker);
    ctx?.dispose();
    rmSync(exportDir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await mesh?.restore();
  });

  it('registers its commands in the extension, on pod and namespace nodes of the Mesh view', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of DIAGNOSE_COMMANDS) assert.ok(commands.includes(id), `${id} is registered`);
  });

  it('diagnoses a checkout pod: connect-timeout first, with its evidence and the manifests; opens the manifest where the quick fix is', async () => {
    const pod = await mesh.pod('checkout-');
    const run = await diagnose.diagnose({ pod }, QUICK);
    assert.ok(run, JSON.stringify(ui.notifications));
    const top = run.diagnosis.causes[0]!;
    assert.equal(top.cause, 'connect-timeout');
    assert.deepEqual(top.clusters, [IDP]);
    assert.ok(top.evidence.some((e) => e.kind === 'config' && e.cluster === IDP && e.value === '1s'), JSON.stringify(top.evidence));
    assert.ok(top.evidence.some((e) => e.kind === 'counter' && e.after > e.before), JSON.stringify(top.evidence));
    assert.ok(top.evidence.some((e) => e.kind === 'log' && e.text === 'java.net.SocketException: Connection reset'));
    const files = top.manifest.map((m) => `${m.file}:${m.field}=${m.value}`);
    assert.ok(files.includes('lint/idp-dr.yaml:spec.trafficPolicy.connectionPool.tcp.connectTimeout=30s'), files.join('\n'));
    assert.ok(files.some((f) => f.startsWith('lint/mesh-operator.yaml:') && f.endsWith('=1s')), files.join('\n'));
    assert.ok(ui.progress.length >= 3, ui.progress.join('; '));
    assert.match(ui.notifications.at(-1)!.message, /^Diagnosis of pod shop\/checkout-\S+: connect-timeout on outbound\|443\|\|idp\.example\.com/);

    // The report: a read-only virtual Markdown document, escaped, each site named with its lines.
    const report = await vscode.workspace.openTextDocument(run.report);
    assert.equal(run.report.scheme, 'mesh-doctor-diagnosis');
    const text = report.getText();
    assert.match(text, /^# Diagnosis: pod shop\\\/checkout\\-/);
    assert.match(text, /### 1\. connect\\-timeout \(confidence 0\.\d\d\)/);
    const site = top.manifest.find((m) => m.file === 'lint/mesh-operator.yaml')!;
    // Named, not linked: the Markdown preview would show a file: link as its Markdown source.
    assert.ok(text.includes(`- Set in lint\\/mesh\\-operator\\.yaml, lines ${site.startLine}–${site.endLine}:`), text);
    assert.ok(!text.includes('](<file:'), text);

    ui.answerPick((items) => items.find((i) => i.description === `lint/mesh-operator.yaml:${site.startLine}`));
    const editor = await diagnose.openManifest();
    assert.ok(editor);
    assert.equal(path.basename(editor.document.uri.fsPath), 'mesh-operator.yaml');
    assert.equal(editor.selection.start.line, site.startLine - 1);
    assert.match(editor.document.lineAt(site.startLine - 1).text, /connectTimeout: 1s/);
    // The lint feature's quick fix is offered there (Mesh Doctor changes the manifest, never the cluster).
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, editor.selection);
    assert.ok(actions.some((a) => a.title === 'Raise to 10s'), actions.map((a) => a.title).join('; '));
  });

  it('Verify Fix says what still fails before the fix, and "verified" once the fixed DestinationRule reached the sidecars', async () => {
    const before = await diagnose.verifyFix({ windowSeconds: 1, intervalSeconds: 0.2, timeoutSeconds: 0.5 });
    assert.ok(before && !before.verified);
    assert.match(before.stillFailing.join('\n'), /still has connect timeout 1s/);
    assert.match(ui.notifications.at(-1)!.message, /^Mesh Doctor: not verified after \d+ s; still failing: .*still has connect timeout 1s/);

    // The user starts Verify Fix, then their pipeline applies the fixed rule while it watches.
    const seen = ui.progress.length;
    const watching = diagnose.verifyFix({ windowSeconds: 1, intervalSeconds: 0.2, timeoutSeconds: 30 });
    await waitFor('Verify Fix to look once', () => (ui.progress.slice(seen).some((m) => /still has connect timeout 1s/.test(m)) ? true : undefined));
    mesh.standIn.model.applyDestinationRule('shop', FIXED_RULE);
    const after = await watching;
    assert.ok(after?.verified, JSON.stringify(after));
    // A pod is followed through its Deployment: every checkout replica is checked.
    assert.equal(after.checks.length, 3);
    // A call started under 1 s just before the push can still time out after it (one call per 5 s):
    // at most one failure per replica, then the flat window that "verified" promises.
    assert.ok(after.checks.every((c) => c.before === '1s' && c.after === '10s' && c.failuresSinceFix <= 1 && c.flatSeconds >= 1), JSON.stringify(after.checks));
    assert.match(ui.notifications.at(-1)!.message, /^Mesh Doctor: verified after \d+ s: connect timeout 1s → 10s on outbound\|443\|\|idp\.example\.com/);
    // The open report follows (VS Code reads the virtual document again after its change event).
    const document = await vscode.workspace.openTextDocument(diagnose.session.last!.report);
    const report = await waitFor('the report to show the verification', () => (/^- Verification: verified after \d+ s$/m.test(document.getText()) ? document.getText() : undefined));
    assert.match(report, /## Verification\n\nVerified after/);
  });

  it('exports the diagnosis and its verification as Markdown and JSON', async () => {
    ui.saveAnswers.push(vscode.Uri.file(path.join(exportDir, 'incident.md')));
    const exported = await diagnose.exportReport();
    assert.ok(exported);
    assert.equal(exported.json.fsPath, path.join(exportDir, 'incident.json'));
    const markdown = readFileSync(exported.markdown.fsPath, 'utf8');
    assert.match(markdown, /^# Diagnosis: pod shop\\\/checkout\\-/);
    assert.match(markdown, /## Verification/);
    const json = JSON.parse(readFileSync(exported.json.fsPath, 'utf8')) as { diagnosis: { causes: { cause: string; manifest: unknown[] }[]; requests: number }; verification: { verified: boolean } };
    assert.equal(json.diagnosis.causes[0]!.cause, 'connect-timeout');
    assert.ok(json.diagnosis.causes[0]!.manifest.length >= 2);
    assert.ok(json.diagnosis.requests > 0);
    assert.equal(json.verification.verified, true);
  });

  it('diagnoses a namespace: every meshed pod, merged into one ranking', async () => {
    mesh.standIn.model.mesh.changeIstioConfig((s) => s.deleteDestinationRule('shop', 'idp'));
    mesh.standIn.model.advance(10_000);
    const checkout = (await mesh.checkoutPods()).map((p) => `shop/${p.name}`);
    const run = await diagnose.diagnose({ kind: 'namespace', context: mesh.context, namespace: 'shop' }, { sampleSeconds: 0.3, minutes: 5 });
    assert.ok(run, JSON.stringify(ui.notifications));
    assert.equal(run.diagnosis.target, 'namespace shop');
    const top = run.diagnosis.causes[0]!;
    assert.equal(top.cause, 'connect-timeout');
    for (const p of checkout) assert.ok(top.pods.includes(p), `${p} in ${top.pods.join(', ')}`);
    assert.ok(ui.progress.some((m) => /^diagnosed shop\/\S+ \(\d+\/\d+ pods\)$/.test(m)), ui.progress.join('; '));
  });

  it('stops at once when its progress is cancelled while it waits between the samples', async () => {
    const pod = await mesh.pod('checkout-');
    ui.cancelProgressAfterMs = 300;
    const started = Date.now();
    const run = await diagnose.diagnose({ pod }, { sampleSeconds: 60 });
    assert.equal(run, undefined);
    assert.ok(Date.now() - started < 20_000, 'it did not wait out the 60 s');
    assert.match(ui.notifications.at(-1)!.message, /^Mesh Doctor: the diagnosis of pod shop\/checkout-\S+ was cancelled\.$/);
  });

  it('says so when there is nothing to diagnose, without a report', async () => {
    const run = await diagnose.diagnose({ pod: { context: mesh.context, namespace: 'shop', name: 'no-such-pod' } }, QUICK);
    assert.equal(run, undefined);
    assert.match(ui.notifications.at(-1)!.message, /^Mesh Doctor: could not diagnose pod shop\/no-such-pod: /);
  });
});
