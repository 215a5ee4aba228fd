import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type Diagnose, createDiagnose } from '../../../src/diagnose/feature';
import type { PodRef } from '../../../src/kube/types';
import { Configuration } from '../../../src/services/configuration';
import { type EnvoyLogRaiser, createEnvoyLogRaiser } from '../../../src/services/envoyLogRaiser';
import { type IntegrationMesh, PROD_CONTEXT, setUpMesh } from '../debugLogging/meshSetup';
import { MemoryMemento, ScriptedUi, TestContext, waitFor } from '../helpers';

/** 3 s of debug logging: 150 s of the stand-in's clock, which the ticker runs 50 times faster. */
const WINDOW_MINUTES = 0.05;
const QUICK = { sampleSeconds: 0.5, minutes: 5 };

/**
 * Diagnose's Envoy debug window, built by the test from the product's modules (the raiser service
 * the debug-logging feature also uses, over an in-memory store), against the stand-in's incident:
 * the levels are raised while it gathers and restored exactly afterwards, cancelled or not, and a
 * protected context is asked about first.
 */
describe('Diagnose with an Envoy debug window', function () {
  this.timeout(120_000);
  let mesh: IntegrationMesh;
  let ctx: TestContext;
  let ui: ScriptedUi;
  let raiser: EnvoyLogRaiser;
  let diagnose: Diagnose;
  let ticker: NodeJS.Timeout;

  before(async () => {
    mesh = await setUpMesh('diagnose-debug');
    mesh.standIn.model.advance(20_000);
    ticker = setInterval(() => mesh.standIn.model.advance(1000), 20);
    ctx = new TestContext();
    ui = new ScriptedUi();
    raiser = createEnvoyLogRaiser(ctx, new MemoryMemento());
    diagnose = createDiagnose(ctx, ui, ctx.own(new Configuration()), { workspaceSettings: async () => [] }, raiser);
  });
  after(async () => {
    clearInterval(ticker);
    ctx?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await mesh?.restore();
  });
  afterEach(() => {
    ui.confirmAnswer = false;
  });

  const levels = (pod: PodRef) => mesh.standIn.model.envoyLogLevels(pod.namespace, pod.name);
  const raisedProgress = (from: number) => ui.progress.slice(from).find((m) => /^Envoy debug logging raised on 1 pod\(s\): \d+ s left/.test(m));

  it('without a window, says when resets stay unexplained and offers one', async () => {
    const pod = await mesh.pod('checkout-');
    const run = await diagnose.diagnose({ pod }, { ...QUICK, debugMinutes: 0 });
    assert.ok(run, JSON.stringify(ui.notifications));
    assert.equal(run.diagnosis.window.debugMinutes, 0);
    // The incident pod's access log is off and Envoy logs at warning: its resets are explained only by the rising counter.
    assert.ok(run.diagnosis.untiedResets > 0, JSON.stringify(run.diagnosis.causes.map((c) => c.summary)));
    assert.match(ui.notifications.at(-1)!.message, /\d+ reset\(s\) no Envoy log line ties: Envoy debug logging for 2 min can\.$/);
    assert.deepEqual(raiser.store.all(), []);
  });

  it('raises the connection-problem loggers during the window, ties the resets to the debug lines, and restores the levels exactly', async () => {
    const pod = await mesh.pod('checkout-');
    const before = levels(pod);
    const seen = ui.progress.length;
    const running = diagnose.diagnose({ pod }, { ...QUICK, debugMinutes: WINDOW_MINUTES });
    await waitFor('the debug window to start', () => raisedProgress(seen));
    assert.equal(levels(pod).connection, 'debug');
    assert.equal(levels(pod).pool, 'debug');
    // Stored before the change, in the store auto-revert and crash recovery read.
    assert.deepEqual(raiser.store.all().map((r) => [r.pod.name, r.saved]), [[pod.name, before]]);
    const run = await running;
    assert.ok(run, JSON.stringify(ui.notifications));
    assert.deepEqual(levels(pod), before);
    assert.deepEqual(raiser.store.all(), []);
    assert.equal(run.diagnosis.window.debugMinutes, WINDOW_MINUTES);
    assert.ok(run.diagnosis.notes.includes('Envoy log levels restored exactly'), run.diagnosis.notes.join('\n'));
    const top = run.diagnosis.causes[0]!;
    assert.equal(top.cause, 'connect-timeout');
    // The resets are now explained by Envoy's own debug lines from the sidecar's log.
    assert.ok(top.evidence.some((e) => e.kind === 'log' && e.file.endsWith('/istio-proxy') && /connect timeout/.test(e.text)), JSON.stringify(top.evidence));
    // Resets logged before the window are still untied; those in it are tied.
    assert.ok(top.summary.some((s) => !/Envoy's debug log is off/.test(s)), top.summary.join('\n'));
  });

  it('restores the levels when cancelled in the middle of the window', async () => {
    const pod = await mesh.pod('checkout-');
    const before = levels(pod);
    const seen = ui.progress.length;
    // Well after the window starts (about a second in), well before its minute is up.
    ui.cancelProgressAfterMs = 6000;
    const started = Date.now();
    const running = diagnose.diagnose({ pod }, { ...QUICK, debugMinutes: 1 });
    await waitFor('the debug window to start', () => raisedProgress(seen));
    assert.equal(levels(pod).connection, 'debug');
    assert.equal(await running, undefined);
    assert.ok(Date.now() - started < 30_000, 'it did not wait out the minute');
    assert.deepEqual(levels(pod), before);
    assert.deepEqual(raiser.store.all(), []);
    assert.match(ui.notifications.at(-1)!.message, /was cancelled\. The Envoy log levels it raised were put back/);
  });

  it('asks before a window in a protected context; declined, it raises nothing and diagnoses with the logs as they are', async () => {
    const pod = await mesh.pod('checkout-', PROD_CONTEXT);
    const before = levels(pod);
    let storeChanges = 0;
    ctx.own(raiser.store.onDidChange(() => storeChanges++));
    ui.questions.length = 0;
    const seen = ui.progress.length;
    const run = await diagnose.diagnose({ pod }, { ...QUICK, debugMinutes: WINDOW_MINUTES });
    assert.equal(ui.questions.length, 1);
    assert.match(ui.questions[0]!.message, /^"eu-prod-1" is a protected context\. Raise Envoy logging \(connection problems at debug\) for 0\.05 min on pod shop\/checkout-\S+ while diagnosing\?$/);
    assert.ok(run, JSON.stringify(ui.notifications));
    assert.equal(run.diagnosis.window.debugMinutes, 0);
    assert.ok(run.diagnosis.notes.some((n) => /^Envoy debug logging was not raised: "eu-prod-1" is a protected context/.test(n)), run.diagnosis.notes.join('\n'));
    assert.equal(raisedProgress(seen), undefined);
    assert.equal(storeChanges, 0);
    assert.deepEqual(levels(pod), before);
  });

  it('takes its window from meshDoctor.diagnose.debugMinutes when the command gives none', async () => {
    await mesh.set('diagnose.debugMinutes', WINDOW_MINUTES);
    const pod = await mesh.pod('checkout-');
    const before = levels(pod);
    const run = await diagnose.diagnose({ pod }, QUICK);
    assert.ok(run, JSON.stringify(ui.notifications));
    assert.equal(run.diagnosis.window.debugMinutes, WINDOW_MINUTES);
    assert.deepEqual(levels(pod), before);
    await mesh.set('diagnose.debugMinutes', undefined);
  });
});
