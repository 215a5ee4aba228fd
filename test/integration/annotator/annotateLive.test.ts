import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createKubeClients } from '../../../src/kube/clients';
import { loadKubeConfig } from '../../../src/kube/kubeconfig';
import type { PodRef } from '../../../src/kube/types';
import { CAUSE_FIXES } from '../../../src/core/correlate/causes';
import { IDENTITY_CLUSTER } from '../../standin/envoy/clusters';
import { type StandIn, startStandIn } from '../../standin';
import { activeSelection, AnnotatorHarness, withSetting } from './annotatorHelpers';
import { activateExtension, waitFor } from '../helpers';

/** Virtual minutes of the incident the stand-in plays before the test reads its logs. */
const HISTORY_MS = 3 * 60_000;

describe('Annotate Connection resets on a live pod (stand-in mesh)', function () {
  this.timeout(90_000);
  let standIn: StandIn;
  let checkout: { pod: PodRef; raw: unknown };
  let annotator: AnnotatorHarness;
  const annotate = (...args: unknown[]) => annotator.annotate(...args);

  beforeEach(() => {
    annotator = new AnnotatorHarness();
  });
  afterEach(() => annotator.dispose());

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
    // Only access-log lines explain these resets (Envoy logs at warning level), so the panel offers
    // to enable debug logging.
    assert.ok(run.resets.every((r) => r.matches.every((m) => m.kind === 'access-log')));
    // One group for all of them, with one fix, as the panel lists them.
    assert.equal(run.groups.length, 1);
    assert.equal(run.groups[0].members.length, run.resets.length);
    assert.equal(run.groups[0].cluster, IDENTITY_CLUSTER);
    assert.equal(run.groups[0].fix?.setting, CAUSE_FIXES['connect-timeout'].setting);
    // The line is shown with its own timestamp only: kubectl's --timestamps time is kept apart (a tooltip).
    const access = run.resets[0].matches[0];
    assert.ok(access.collectedAt, 'the live line carries no collector time');
    assert.ok(access.text.startsWith('['), `the shown line still starts with the collector's time: ${access.text.slice(0, 60)}`);
    assert.equal(access.durationMs, 1000);
    assert.equal(Date.parse(access.endTime!) - Date.parse(access.time), 1000);
  });

  it('opens a live log line from a link in a read-only document at that line', async () => {
    const run = await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5 }));
    const access = run.resets[0].matches[0];
    await annotator.message({ type: 'openSource', file: access.file, line: access.line });
    const opened = await activeSelection('istio-proxy.log');
    assert.equal(opened.line, access.line - 1);
    assert.match(opened.text, /UF,URX .* outbound\|443\|\|idp\.example\.com/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, 'mesh-doctor-log');

  });

  it('"Find where this is set" asks the setting locator for the cluster\'s host as the reset\'s pod\'s namespace sees it, and says when no manifest sets it', async () => {
    await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5 }));
    assert.equal(await annotator.message({ type: 'findSetting', cluster: IDENTITY_CLUSTER, pod: checkout.pod.name }), true);
    assert.deepEqual(annotator.services.settingLookups, [{ host: 'idp.example.com', namespace: 'shop' }]);
    assert.equal(annotator.ui.notifications.length, 0);

    annotator.services.settingFound = false;
    // A pod the run did not read is not trusted to pick a namespace; a cluster without a host takes the mesh-wide value.
    assert.equal(await annotator.message({ type: 'findSetting', cluster: 'PassthroughCluster', pod: 'other-pod' }), false);
    assert.deepEqual(annotator.services.settingLookups[1], { host: null, namespace: null });
    assert.equal(annotator.ui.notifications.length, 1);
    assert.match(annotator.ui.notifications[0].message, /no manifest in this workspace sets the connect timeout of PassthroughCluster\. It comes from meshConfig\.connectTimeout/);
  });

  it('"Show cluster in Mesh tree" hands the cluster and the reset\'s pod to the cluster revealer, and its answer back', async () => {
    await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotate({ ...checkout, minutes: 5 }));
    assert.equal(await annotator.message({ type: 'revealCluster', cluster: IDENTITY_CLUSTER, pod: checkout.pod.name }), true);
    annotator.services.clusterShown = false;
    assert.equal(await annotator.message({ type: 'revealCluster', cluster: 'outbound|1||nowhere.example', pod: 'not-in-this-run' }), false);
    // The run read one pod, so a reset without a pod names that one.
    assert.equal(await annotator.message({ type: 'revealCluster', cluster: IDENTITY_CLUSTER, pod: null }), false);
    assert.deepEqual(annotator.services.reveals, [
      { cluster: IDENTITY_CLUSTER, pod: checkout.pod },
      { cluster: 'outbound|1||nowhere.example', pod: null },
      { cluster: IDENTITY_CLUSTER, pod: checkout.pod },
    ]);
  });

  it('"Enable debug logging" hands the reset\'s pod to the debug-logging feature, which raises its Envoy loggers', async () => {
    const name = checkout.pod.name;
    assert.notEqual(standIn.model.envoyLogLevels('shop', name).connection, 'debug');
    await withSetting('kubeconfig', standIn.kubeconfigPath, async () => {
      await annotate({ ...checkout, minutes: 5 });
      const handled = annotator.message({ type: 'enableDebugLogging', pod: name });
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
