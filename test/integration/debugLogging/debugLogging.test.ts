import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../helpers';
import { type IntegrationMesh, PROD_CONTEXT, type TestFeatures, buildFeatures, setUpMesh } from './meshSetup';
import { ensureKubectl } from '../../standin/kubectl';
import { openClusterAccess } from '../../../src/kube/transport';
import type { EnableResult } from '../../../src/debugLogging/enableCommand';
import type { RestoreSummary } from '../../../src/services/restoreRaised';
import type { PodRef } from '../../../src/kube/types';

const CONNECTION = ['connection', 'pool', 'upstream', 'router', 'http', 'filter'];

const DEBUG_LOGGING_COMMANDS = ['enable', 'enableForWorkload', 'restore', 'restoreAll', 'showRaised'].map((c) => `meshDoctor.debugLogging.${c}`);

/**
 * The feature is built by the test (`buildFeatures`) with a scripted UI, so dialogs are answered
 * and notifications read without hooks in the product; the registered commands are run once to
 * show the extension wires the same handlers.
 */
describe('Envoy debug logging', function () {
  this.timeout(120_000);
  let mesh: IntegrationMesh;
  let features: TestFeatures;

  before(async () => {
    mesh = await setUpMesh('debug-logging-incident');
    await mesh.set('debugLogging.autoRevertMinutes', 10);
    features = buildFeatures();
  });
  after(async () => {
    await features?.debugLogging.restoreAll();
    features?.dispose();
    await vscode.commands.executeCommand('meshDoctor.debugLogging.restoreAll');
    await mesh?.restore();
  });
  afterEach(() => {
    mesh.standIn.model.clearFaults();
    features.ui.confirmAnswer = false;
  });

  const levels = (pod: PodRef) => mesh.standIn.model.envoyLogLevels(pod.namespace, pod.name);
  const enable = (arg: unknown, options: object = { preset: 'connection' }) => features.debugLogging.enable(arg, options);
  const stored = (pod: PodRef) => features.debugLogging.store.all().filter((r) => r.pod.name === pod.name && r.pod.context === pod.context);

  it('registers its commands in the extension, and the registered enable and restore change and restore a pod', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of DEBUG_LOGGING_COMMANDS) assert.ok(commands.includes(id), `${id} is registered`);
    assert.ok(!commands.includes('meshDoctor.internal.recoverRaisedLevels'), 'no hidden test command');
    const pod = await mesh.pod('frontend-');
    const original = levels(pod);
    const result = await vscode.commands.executeCommand<EnableResult | undefined>('meshDoctor.debugLogging.enable', { pod }, { preset: 'connection' });
    assert.equal(result?.raised.length, 1, JSON.stringify(result?.failed));
    assert.equal(levels(pod).pool, 'debug');
    const summary = await vscode.commands.executeCommand<RestoreSummary | undefined>('meshDoctor.debugLogging.restore', { pod });
    assert.equal(summary?.restored.length, 1);
    assert.deepEqual(levels(pod), original);
  });

  it('raises a pod, reads the levels back, shows the status bar, and restore puts back exactly what was there', async () => {
    const pod = await mesh.pod('frontend-');
    // Beyond the injector's misc:error, one more non-default level, so a "restore to the injector's levels" guess would be caught too.
    await openClusterAccess({ kubeconfig: mesh.standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' }).transport.admin.request(pod, 'POST', '/logging?router=info');
    const original = levels(pod);
    assert.deepEqual([original.misc, original.router], ['error', 'info']);

    const result = await enable({ pod });
    assert.ok(result, 'the command was cancelled');
    assert.deepEqual(result.failed, []);
    assert.equal(result.raised.length, 1);
    assert.deepEqual(result.raised[0].saved, original);
    for (const n of CONNECTION) assert.equal(levels(pod)[n], 'debug', n);
    assert.equal(stored(pod).length, 1);
    assert.match(features.statusBarItem.text, /^\$\(debug\) Envoy debug: 1 pod · (9|10):\d\d$/);

    const summary = await features.debugLogging.restore({ pod });
    assert.equal(summary?.restored.length, 1);
    assert.deepEqual(levels(pod), original);
    assert.deepEqual(stored(pod), []);
    assert.deepEqual(features.debugLogging.store.mine(), []);
  });

  it('raises every replica of a workload; a 403 on one is reported and only the others are stored', async () => {
    const pods = await mesh.checkoutPods();
    assert.equal(pods.length, 3);
    mesh.standIn.model.addFault({ kind: 'status', code: 403, pod: pods[1].name, verb: 'portforward' });
    mesh.standIn.model.addFault({ kind: 'status', code: 403, pod: pods[1].name, verb: 'exec' });
    const result = (await features.debugLogging.enableForWorkload({ pod: pods[0] }, { preset: 'everything' }))!;
    assert.deepEqual(result.raised.map((r) => r.pod.name).sort(), [pods[0].name, pods[2].name]);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0].pod, `shop/${pods[1].name}`, 'failures name the pod as namespace/name');
    assert.match(result.failed[0].reason, /403|forbidden/i);
    assert.equal(levels(pods[0]).admin, 'debug');
    assert.equal(levels(pods[1]).admin, 'warning');
    assert.equal(levels(pods[2]).admin, 'debug');
    assert.deepEqual(pods.map((p) => stored(p).length), [1, 0, 1]);
    const warning = features.ui.notifications.at(-1);
    assert.equal(warning?.severity, 'warning');
    assert.match(warning?.message ?? '', new RegExp(`Not changed: shop/${pods[1].name}: `));
    mesh.standIn.model.clearFaults();
    await features.debugLogging.restoreAll();
    // Back to the injector's levels exactly: warning, and misc at error (--proxyComponentLogLevel=misc:error).
    for (const p of pods) assert.deepEqual([levels(p).admin, levels(p).misc], ['warning', 'error']);
  });

  it('turns itself off after meshDoctor.debugLogging.autoRevertMinutes', async () => {
    await mesh.set('debugLogging.autoRevertMinutes', 0.05);
    try {
      const pod = await mesh.pod('loadgen-');
      const original = levels(pod);
      const result = await enable({ pod });
      assert.equal(result?.raised.length, 1);
      assert.equal(levels(pod).pool, 'debug');
      await waitFor('the auto-revert', () => (levels(pod).pool === original.pool && stored(pod).length === 0 ? true : undefined), 20_000);
      assert.deepEqual(levels(pod), original);
      assert.ok(features.ui.notifications.some((n) => n.message === `Envoy debug logging turned off (time is up): ${pod.name}`), 'the user is told');
    } finally {
      await mesh.set('debugLogging.autoRevertMinutes', 10);
    }
  });

  it('restores pods left raised by a crashed session, and drops pods that no longer exist', async () => {
    const [pod] = await mesh.checkoutPods();
    const original = levels(pod);
    const admin = openClusterAccess({ kubeconfig: mesh.standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' }).transport.admin;
    await admin.request(pod, 'POST', '/logging?level=trace');
    const uid = mesh.standIn.model.mesh.requirePod('shop', pod.name).uid;
    const base = { saved: original, raisedAt: Date.now() - 60_000, revertAt: Date.now() + 60_000, description: 'all loggers at trace', session: 'a-crashed-window' };
    const store = features.debugLogging.store;
    await store.add({ ...base, pod, uid });
    const ghost = { context: mesh.context, namespace: 'shop', name: 'checkout-deleted-long-ago' };
    await store.add({ ...base, pod: ghost, uid: 'gone' });

    const summary = await features.debugLogging.recover();
    assert.deepEqual(summary.restored.map((r) => r.pod.name), [pod.name]);
    assert.deepEqual(summary.gone.map((r) => r.pod.name), [ghost.name]);
    assert.deepEqual(levels(pod), original);
    assert.deepEqual(store.all().filter((r) => r.session === 'a-crashed-window'), []);
    assert.match(features.ui.notifications.at(-1)?.message ?? '', new RegExp(`^Envoy log levels from the last session: restored ${pod.name}; ${ghost.name} no longer exists \\(dropped\\)\\.$`));
  });

  it('asks before changing a protected context and changes nothing when declined', async () => {
    const pod = await mesh.pod('frontend-', PROD_CONTEXT);
    const before = levels(pod);
    const asked = features.ui.questions;
    asked.length = 0;
    features.ui.confirmAnswer = false;
    assert.equal(await enable({ pod }), undefined);
    assert.equal(asked.length, 1);
    assert.match(asked[0].message, /"eu-prod-1" is a protected context/);
    assert.deepEqual(levels(pod), before);
    assert.deepEqual(stored(pod), []);

    features.ui.confirmAnswer = true;
    const result = await enable({ pod });
    assert.equal(asked.length, 2);
    assert.equal(result?.raised.length, 1);
    assert.equal(levels(pod).pool, 'debug');
    await features.debugLogging.restore({ pod });
    assert.deepEqual(levels(pod), before);
  });

  it('works through kubectl (exec pilot-agent request) as well', async () => {
    await mesh.set('transport', 'kubectl');
    await mesh.set('kubectlPath', await ensureKubectl());
    try {
      const pod = await mesh.pod(/^cart-(?!redis)/); // the native-sidecar pod
      const original = levels(pod);
      const result = await enable({ pod }, { loggers: ['pool', 'upstream'], level: 'trace' });
      assert.equal(result?.raised.length, 1, JSON.stringify(result?.failed));
      assert.equal(levels(pod).pool, 'trace');
      assert.equal(levels(pod).upstream, 'trace');
      await features.debugLogging.restore({ pod });
      assert.deepEqual(levels(pod), original);
    } finally {
      await mesh.set('transport', 'api');
    }
  });

  it("answers its pickers through the UI: loggers chosen from the pod's own list, then restored from the raised-pods list", async () => {
    const pod = await mesh.pod('frontend-');
    const original = levels(pod);
    const { ui } = features;
    ui.pickTitles.length = 0;
    ui.answerPick((items) => items.find((i) => i.label === 'Choose loggers…'));
    ui.answerPick((items) => {
      assert.ok(items.some((i) => i.label === 'admin' && i.description === `now ${original.admin}`), 'loggers come from the pod');
      return items.filter((i) => i.label === 'pool' || i.label === 'upstream');
    });
    ui.answerPick((items) => items.find((i) => i.label === 'trace'));
    const result = await enable({ pod }, {});
    assert.equal(result?.raised.length, 1, JSON.stringify(result?.failed));
    assert.deepEqual(ui.pickTitles, ['Enable Envoy debug logging', 'Loggers to change', 'Level']);
    assert.equal(levels(pod).pool, 'trace');
    assert.equal(levels(pod).upstream, 'trace');
    assert.equal(levels(pod).admin, original.admin);

    ui.answerPick((items) => {
      assert.equal(items[0].label, 'Restore all');
      return items.find((i) => i.label === pod.name);
    });
    await features.debugLogging.showRaised();
    assert.deepEqual(levels(pod), original);
    assert.deepEqual(stored(pod), []);
  });

  it('reports a pod without a sidecar instead of failing the command', async () => {
    const name = mesh.standIn.model.mesh.listPods('legacy').find((p) => p.name.startsWith('reports-'))!.name;
    const pod = { context: mesh.context, namespace: 'legacy', name };
    const result = await enable({ pod });
    assert.deepEqual(result?.raised, []);
    assert.deepEqual(result?.failed, [{ pod: `legacy/${pod.name}`, reason: 'no istio-proxy sidecar' }]);
  });
});
