import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../lint/lintHelpers';
import { IntegrationMesh, PROD_CONTEXT, setUpMesh } from './meshSetup';
import { ensureKubectl } from '../../standin/kubectl';
import { openClusterAccess } from '../../../src/kube/transport';
import type { EnableResult } from '../../../src/debugLogging/enableCommand';
import type { RestoreSummary } from '../../../src/debugLogging/restoreRaised';
import type { PodRef } from '../../../src/kube/types';

const CONNECTION = ['connection', 'pool', 'upstream', 'router', 'http', 'filter'];

describe('Envoy debug logging', function () {
  this.timeout(120_000);
  let mesh: IntegrationMesh;

  before(async () => {
    mesh = await setUpMesh('debug-logging-incident');
    await mesh.set('debugLogging.autoRevertMinutes', 10);
  });
  after(async () => {
    mesh?.api.debugLogging.setConfirm(undefined);
    await vscode.commands.executeCommand('meshDoctor.debugLogging.restoreAll');
    await mesh?.restore();
  });
  afterEach(() => {
    mesh.standIn.model.clearFaults();
    mesh.api.debugLogging.setConfirm(undefined);
  });

  const levels = (pod: PodRef) => mesh.standIn.model.envoyLogLevels(pod.namespace, pod.name);
  const enable = (arg: unknown, options: object = { preset: 'connection' }) => vscode.commands.executeCommand<EnableResult | undefined>('meshDoctor.debugLogging.enable', arg, options);
  const stored = (pod: PodRef) => mesh.api.debugLogging.store.all().filter((r) => r.pod.name === pod.name && r.pod.context === pod.context);

  it('raises a pod, reads the levels back, shows the status bar, and restore puts back exactly what was there', async () => {
    const pod = await mesh.pod('frontend-');
    // A non-default starting point, so a "restore to warning" guess would be caught.
    await openClusterAccess({ kubeconfig: mesh.standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' }).transport.admin.request(pod, 'POST', '/logging?misc=error');
    const original = levels(pod);
    assert.equal(original.misc, 'error');

    const result = await enable({ pod });
    assert.ok(result, 'the command was cancelled');
    assert.deepEqual(result.failed, []);
    assert.equal(result.raised.length, 1);
    assert.deepEqual(result.raised[0].saved, original);
    for (const n of CONNECTION) assert.equal(levels(pod)[n], 'debug', n);
    assert.equal(stored(pod).length, 1);
    assert.match(mesh.api.debugLogging.statusBarText(), /^\$\(debug\) Envoy debug: 1 pod · (9|10):\d\d$/);

    const summary = await vscode.commands.executeCommand<RestoreSummary>('meshDoctor.debugLogging.restore', { pod });
    assert.equal(summary.restored.length, 1);
    assert.deepEqual(levels(pod), original);
    assert.deepEqual(stored(pod), []);
    assert.deepEqual(mesh.api.debugLogging.store.mine(), []);
  });

  it('raises every replica of a workload; a 403 on one is reported and only the others are stored', async () => {
    const pods = await mesh.checkoutPods();
    assert.equal(pods.length, 3);
    mesh.standIn.model.addFault({ kind: 'status', code: 403, pod: pods[1].name, verb: 'portforward' });
    mesh.standIn.model.addFault({ kind: 'status', code: 403, pod: pods[1].name, verb: 'exec' });
    const result = await vscode.commands.executeCommand<EnableResult>('meshDoctor.debugLogging.enableForWorkload', { pod: pods[0] }, { preset: 'everything' });
    assert.deepEqual(result.raised.map((r) => r.pod.name).sort(), [pods[0].name, pods[2].name]);
    assert.equal(result.failed.length, 1);
    assert.equal(result.failed[0].pod, pods[1].name);
    assert.match(result.failed[0].reason, /403|forbidden/i);
    assert.equal(levels(pods[0]).admin, 'debug');
    assert.equal(levels(pods[1]).admin, 'warning');
    assert.equal(levels(pods[2]).admin, 'debug');
    assert.deepEqual(pods.map((p) => stored(p).length), [1, 0, 1]);
    mesh.standIn.model.clearFaults();
    await vscode.commands.executeCommand('meshDoctor.debugLogging.restoreAll');
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
    await mesh.api.debugLogging.store.add({ ...base, pod, uid });
    const ghost = { context: mesh.context, namespace: 'shop', name: 'checkout-deleted-long-ago' };
    await mesh.api.debugLogging.store.add({ ...base, pod: ghost, uid: 'gone' });

    const summary = await vscode.commands.executeCommand<RestoreSummary>('meshDoctor.internal.recoverRaisedLevels');
    assert.deepEqual(summary.restored.map((r) => r.pod.name), [pod.name]);
    assert.deepEqual(summary.gone.map((r) => r.pod.name), [ghost.name]);
    assert.deepEqual(levels(pod), original);
    assert.deepEqual(mesh.api.debugLogging.store.all().filter((r) => r.session === 'a-crashed-window'), []);
  });

  it('asks before changing a protected context and changes nothing when declined', async () => {
    const pod = await mesh.pod('frontend-', PROD_CONTEXT);
    const before = levels(pod);
    const asked: string[] = [];
    mesh.api.debugLogging.setConfirm(async (message) => {
      asked.push(message);
      return false;
    });
    assert.equal(await enable({ pod }), undefined);
    assert.equal(asked.length, 1);
    assert.match(asked[0], /"eu-prod-1" is a protected context/);
    assert.deepEqual(levels(pod), before);
    assert.deepEqual(stored(pod), []);

    mesh.api.debugLogging.setConfirm(async () => true);
    const result = await enable({ pod });
    assert.equal(result?.raised.length, 1);
    assert.equal(levels(pod).pool, 'debug');
    await vscode.commands.executeCommand('meshDoctor.debugLogging.restore', { pod });
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
      await vscode.commands.executeCommand('meshDoctor.debugLogging.restore', { pod });
      assert.deepEqual(levels(pod), original);
    } finally {
      await mesh.set('transport', 'api');
    }
  });

  it('reports a pod without a sidecar instead of failing the command', async () => {
    const name = mesh.standIn.model.mesh.listPods('legacy').find((p) => p.name.startsWith('reports-'))!.name;
    const pod = { context: mesh.context, namespace: 'legacy', name };
    const result = await enable({ pod });
    assert.deepEqual(result?.raised, []);
    assert.deepEqual(result?.failed, [{ pod: pod.name, reason: 'no istio-proxy sidecar' }]);
  });
});
