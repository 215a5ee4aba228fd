import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runMessages, type WireReset } from '../../../src/annotator/protocol';
import { createKubeClients } from '../../../src/kube/clients';
import { loadKubeConfig } from '../../../src/kube/kubeconfig';
import { type StandIn, startStandIn } from '../../standin';
import { STAND_IN_CAUSES } from '../../standin/logs/causeCalls';
import { CAUSES_NAMESPACE } from '../../standin/scenarios/causes';
import { AnnotatorHarness, withSetting } from './annotatorHelpers';
import { activateExtension } from '../helpers';

/** Virtual time the stand-in plays before the annotator reads the pods' logs. */
const HISTORY_MS = 60_000;

describe('Annotate Connection resets on each cause pod of the stand-in causes scenario', function () {
  this.timeout(180_000);
  let standIn: StandIn;
  let annotator: AnnotatorHarness;
  const pods = new Map<string, { pod: { context: string; namespace: string; name: string }; raw: unknown }>();

  before(async () => {
    await activateExtension();
    standIn = await startStandIn({ scenario: 'causes', contextName: 'annotator-causes', startTime: Date.now() - HISTORY_MS, manualClock: true });
    standIn.model.advance(HISTORY_MS);
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    const list = await clients.core.listNamespacedPod({ namespace: CAUSES_NAMESPACE });
    for (const raw of list.items) {
      const name = raw.metadata?.name;
      const app = raw.metadata?.labels?.app;
      if (name && app) pods.set(app, { pod: { context: clients.context, namespace: CAUSES_NAMESPACE, name }, raw });
    }
    annotator = new AnnotatorHarness();
  });

  after(async () => {
    annotator?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await standIn?.close();
  });

  for (const cause of STAND_IN_CAUSES) {
    it(`shows every reset of the live ${cause} pod as ${cause}`, async () => {
      const target = pods.get(cause);
      assert.ok(target, `the stand-in has no ${cause} pod`);
      const run = await withSetting('kubeconfig', standIn.kubeconfigPath, () => annotator.annotate({ ...target, minutes: 5 }));
      assert.deepEqual(run.summary.sources.map((s) => s.label).sort(), [`${CAUSES_NAMESPACE}/${target.pod.name}/${cause}`, `${CAUSES_NAMESPACE}/${target.pod.name}/istio-proxy`].sort());
      // What the panel posts to its webview for this run, message by message.
      const delivered = runMessages(run.summary, run.resets, run.groups, run.timeline).flatMap((m): readonly WireReset[] => (m.type === 'resets' ? m.resets : []));
      assert.ok(delivered.length >= (cause === 'proxy-shutdown' ? 1 : 3), `${cause}: ${delivered.length} resets`);
      assert.deepEqual(
        delivered.filter((r) => r.cause !== cause).map((r) => `${r.cause}: ${r.explanation}`),
        [],
        `${cause}: resets shown with another cause`,
      );
      assert.deepEqual([...new Set(run.groups.map((g) => g.cause))], [cause], `${cause}: the panel's groups`);
      for (const reset of delivered) {
        assert.equal(reset.pod, target.pod.name);
        assert.ok(reset.fix, `${cause}: a reset without its fix`);
        assert.ok(reset.matches.some((m) => m.file.includes(`/${target.pod.name}/istio-proxy.log`)), `${cause}: a reset without the istio-proxy line that explains it: ${JSON.stringify(reset.matches.map((m) => m.file))} ${reset.explanation}`);
      }
    });
  }
});
