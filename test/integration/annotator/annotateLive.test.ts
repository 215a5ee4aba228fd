import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createKubeClients } from '../../../src/kube/clients';
import { loadKubeConfig } from '../../../src/kube/kubeconfig';
import type { PodRef } from '../../../src/kube/types';
import { IDENTITY_CLUSTER } from '../../standin/envoy/clusters';
import { type StandIn, startStandIn } from '../../standin';
import { activateExtension, activeSelection, annotate, renderedFor, waitFor, WEBVIEW_MESSAGE, withSetting } from './annotatorHelpers';

/** Virtual minutes of the incident the stand-in plays before the test reads its logs. */
const HISTORY_MS = 3 * 60_000;

describe('Annotate Connection resets on a live pod (stand-in mesh)', function () {
  this.timeout(90_000);
  let standIn: StandIn;
  let checkout: { pod: PodRef; raw: unknown };

  before(async () => {
    await activateExtension();
    // Its own stand-in on a manual clock: three minutes of the incident, the same on every run.
    standIn = await startStandIn({ scenario: 'incident', contextName: 'annotator-live', startTime: Date.now() - HISTORY_MS, manualClock: true });
    // These tests are about explaining resets from access-log lines, which a default install does
    // not write: turn the access log on for the namespace (a Telemetry resource), as the README says.
    standIn.model.setAccessLogTelemetry('shop', true);
    standIn.model.advance(HISTORY_MS);
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    const pods = await clients.core.listNamespacedPod({ namespace: 'shop' });
    const raw = pods.items.find((p) => p.metadata?.name?.startsWith('checkout-'));
    assert.ok(raw?.metadata?.name, 'the stand-in has no checkout pod in shop');
    checkout = { pod: { context: clients.context, namespace: 'shop', name: raw.metadata.name }, raw };
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await standIn?.close();
  });

  it('reads the app and istio-proxy logs of a Mesh tree pod node and explains its resets by the 1 s connect timeout', async () => {
    const run = await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5 }));
    const labels = run.summary.sources.map((s) => s.label).sort();
    assert.deepEqual(labels, [`shop/${checkout.pod.name}/checkout`, `shop/${checkout.pod.name}/istio-proxy`]);
    assert.deepEqual(run.summary.pods, [checkout.pod]);

    const schedule = standIn.model.identitySchedule('shop', checkout.pod.name);
    assert.ok(schedule, 'checkout has no failing identity calls in the stand-in');
    // Every failing call whose reset the app logged is one reset; allow the one in flight at the end.
    const expected = Math.floor(HISTORY_MS / schedule.periodMs);
    assert.ok(Math.abs(run.resets.length - expected) <= 2, `${run.resets.length} resets, expected about ${expected}`);
    for (const reset of run.resets) {
      assert.equal(reset.pod, checkout.pod.name);
      assert.equal(reset.cluster, IDENTITY_CLUSTER);
      assert.equal(reset.cause, 'connect-timeout');
      assert.equal(reset.connectTimeoutSeconds, 1);
    }

    const rendered = await renderedFor(run);
    assert.equal(rendered.shown, run.resets.length);
    assert.equal(rendered.verdicts.length, run.resets.length);
    for (const verdict of rendered.verdicts) assert.match(verdict, /connect timeout \(1 s\) to `outbound\|443\|\|idp\.example\.com`/);
    // Only access-log lines explain these resets (Envoy logs at warning level), so the panel may
    // offer debug logging once that feature is present.
    assert.ok(run.resets.every((r) => r.matches.every((m) => m.kind === 'access-log')));
  });

  it('opens a live log line from a link in a read-only document at that line', async () => {
    const run = await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5 }));
    await renderedFor(run);
    const access = run.resets[0].matches[0];
    await vscode.commands.executeCommand(WEBVIEW_MESSAGE, { type: 'openSource', file: access.file, line: access.line });
    const opened = await activeSelection('istio-proxy.log');
    assert.equal(opened.line, access.line - 1);
    assert.match(opened.text, /UF,URX .* outbound\|443\|\|idp\.example\.com/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'meshdoctor-log');

    // "Find where this is set": the workspace's DestinationRule for idp.example.com (lint fixtures).
    await vscode.commands.executeCommand(WEBVIEW_MESSAGE, { type: 'findSetting', cluster: IDENTITY_CLUSTER, pod: checkout.pod.name });
    const manifest = await activeSelection('idp-dr.yaml');
    assert.equal(manifest.text, '30s');
  });

  it('reveals the reset\'s cluster under its pod in the Mesh view', async () => {
    await withSetting('kubeconfig', standIn.kubeconfigPath, async () => {
      const run = await annotate({ ...checkout, minutes: 5 });
      assert.ok(run.capabilities.revealCluster, 'the Mesh view does not offer meshDoctor.revealCluster');
      await renderedFor(run);
      const revealed = await vscode.commands.executeCommand(WEBVIEW_MESSAGE, { type: 'revealCluster', cluster: IDENTITY_CLUSTER, pod: checkout.pod.name });
      assert.equal(revealed, true, 'the Mesh view did not find the cluster under the pod');
      const unknown = await vscode.commands.executeCommand(WEBVIEW_MESSAGE, { type: 'revealCluster', cluster: 'outbound|1||nowhere.example', pod: checkout.pod.name });
      assert.equal(unknown, false);
    });
  });

  it('"Enable debug logging" hands the reset\'s pod to the debug-logging feature, which raises its Envoy loggers', async () => {
    const name = checkout.pod.name;
    assert.notEqual(standIn.model.envoyLogLevels('shop', name).connection, 'debug');
    await withSetting('kubeconfig', standIn.kubeconfigPath, async () => {
      const run = await annotate({ ...checkout, minutes: 5 });
      assert.ok(run.capabilities.enableDebugLogging, 'the debug-logging command is not registered');
      await renderedFor(run);
      const handled = vscode.commands.executeCommand(WEBVIEW_MESSAGE, { type: 'enableDebugLogging', pod: name });
      // That feature asks what to log; its first choice is "Connection problems".
      await waitFor('the connection logger of the pod to be at debug', async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return standIn.model.envoyLogLevels('shop', name).connection === 'debug' ? true : undefined;
      }, 30_000);
      await handled;
      await vscode.commands.executeCommand('meshDoctor.debugLogging.restore', { pod: checkout.pod });
    });
    assert.notEqual(standIn.model.envoyLogLevels('shop', name).connection, 'debug', 'the raised level was not restored after the test');
  });

  it('still correlates what it could read when one container log is refused, and says which and what to do', async () => {
    const fault = standIn.model.addFault({ kind: 'status', code: 403, verb: 'log', namespace: 'shop', pod: checkout.pod.name, times: 1 });
    try {
      const run = await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5 }));
      // Containers are read in pod-spec order, so the refused one is the app container.
      assert.deepEqual(run.summary.sources.map((s) => s.label), [`shop/${checkout.pod.name}/istio-proxy`]);
      assert.equal(run.summary.warnings.length >= 1, true);
      assert.match(run.summary.warnings[0], new RegExp(`^Could not read the checkout log of shop/${checkout.pod.name}: .*(403|Forbidden)`));
      assert.match(run.summary.warnings[0], /\(.+\)$/, 'the warning carries no hint on what to do');
      assert.equal(run.resets.length, 0, 'without the app log there are no resets to explain');
      const rendered = await renderedFor(run);
      assert.equal(rendered.shown, 0);
    } finally {
      standIn.model.removeFault(fault);
    }
  });

  it('reads every pod of the workload when asked for the workload', async () => {
    const run = await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5, workload: true }));
    assert.equal(run.summary.pods.length, 3, 'checkout has 3 replicas');
    assert.equal(run.summary.sources.length, 6, 'an app and an istio-proxy log per replica');
    assert.match(run.summary.title, /^shop\/deployment\/checkout, last 5 minutes$/);
    const pods = new Set(run.resets.map((r) => r.pod));
    assert.equal(pods.size, 3, `resets came from ${[...pods].join(', ')}`);
  });
});
