import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../../src/cli/args';
import { run } from '../../../src/cli/diagnose';
import { listPodsPaged } from '../../../src/kube/pods';
import { openClusterAccess } from '../../../src/kube/transport';
import { startStandIn, type StandIn } from '../../standin';
import { STAND_IN_CAUSES, causeTarget } from '../../standin/logs/causeCalls';
import { CAUSES_NAMESPACE } from '../../standin/scenarios/causes';

/** A few calls of every cause pod (every 10 s) before the diagnosis reads the logs. */
const HISTORY_MS = 45_000;

interface DiagnosedCause {
  readonly cause: string;
  readonly confidence: number;
  readonly clusters: readonly string[];
}

/*
 * `mesh-doctor diagnose` on each pod of the stand-in's `causes` scenario: the pod's config dump,
 * two stats samples (the stand-in's clock moving between them, as a cluster's does) and its logs
 * must rank the pod's own cause first.
 */
describe('mesh-doctor diagnose on each pod of the stand-in causes scenario', function () {
  this.timeout(240_000);
  let standIn: StandIn;
  let workspace = '';
  let ticker: NodeJS.Timeout;
  const pods = new Map<string, string>();

  before(async () => {
    standIn = await startStandIn({ scenario: 'causes', startTime: Date.now() - HISTORY_MS });
    standIn.model.advance(HISTORY_MS);
    const { clients } = openClusterAccess({ kubeconfig: standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' });
    await listPodsPaged(clients, CAUSES_NAMESPACE, (page) => {
      for (const p of page.items) pods.set(p.metadata!.labels!.app!, p.metadata!.name!);
    });
    workspace = mkdtempSync(path.join(tmpdir(), 'diagnose-causes-ws-'));
    ticker = setInterval(() => standIn.model.advance(1000), 20);
  });
  after(async () => {
    clearInterval(ticker);
    if (workspace) rmSync(workspace, { recursive: true, force: true });
    await standIn?.close();
  });

  for (const cause of STAND_IN_CAUSES) {
    it(`ranks ${cause} first on the ${cause} pod`, async () => {
      const pod = pods.get(cause);
      assert.ok(pod, `no ${cause} pod`);
      const out = { text: '', err: '' };
      const io: CliIo = { cwd: workspace, stdout: (t) => void (out.text += t), stderr: (t) => void (out.err += t) };
      assert.equal(await run(['--pod', `${CAUSES_NAMESPACE}/${pod}`, '--kubeconfig', standIn.kubeconfigPath, '--sample-seconds', '0.5', '--workspace', workspace, '--format', 'json'], io), 0, out.err);
      const causes = (JSON.parse(out.text) as { causes: DiagnosedCause[] }).causes;
      const ranked = causes.map((c) => `${c.cause} ${c.confidence} ${c.clusters.join(',')}`).join('\n');
      assert.equal(causes[0]?.cause, cause, ranked);
      // On the cluster the pod calls, where the cause has one (a missing route, a draining or closing side have none of their own).
      if (!['no-route', 'max-duration', 'proxy-shutdown', 'downstream-closed'].includes(cause)) assert.ok(causes[0]!.clusters.includes(causeTarget(cause).cluster), ranked);
    });
  }
});
