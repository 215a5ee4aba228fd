import * as assert from 'node:assert/strict';
import { useMesh } from '../../kube/standinHelpers';
import { type TailLine, TailSession, type TailTarget } from '../../../../src/core/envoyLogging/tailSession';
import { listWorkloadPods, podRefOf } from '../../../../src/kube/workloads';

async function until(what: string, probe: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tail session against the stand-in', function () {
  this.timeout(60_000);
  const mesh = useMesh();

  it('follows a container across a restart, picks up a new replica, and lets a deleted pod go', async () => {
    const access = mesh().access('api');
    const workload = { context: access.clients.context, namespace: 'shop', kind: 'Deployment' as const, name: 'checkout' };
    const lines: TailLine[] = [];
    const notices: string[] = [];
    const listTargets = async (): Promise<TailTarget[]> =>
      (await listWorkloadPods(access.clients, workload)).map((p) => ({ pod: podRefOf(access.clients.context, p), uid: p.metadata!.uid!, containers: ['istio-proxy'], envoyContainers: ['istio-proxy'] }));
    const session = new TailSession({ source: access.transport.logs, listTargets, pollMs: 200, initialTailLines: 0, retryDelayMs: 50, onLine: (l) => lines.push(l), onNotice: (m) => notices.push(m) });
    await session.start();
    try {
      const pods = await mesh().checkoutPods();
      const say = (pod: string, text: string) => mesh().standIn.model.emitLog('shop', pod, 'istio-proxy', [text]);
      await new Promise((r) => setTimeout(r, 300));
      say(pods[0].name, 'before-restart');
      await until('the first line', () => lines.some((l) => l.text === 'before-restart'));

      mesh().standIn.model.restartPod('shop', pods[0].name, 'istio-proxy');
      await new Promise((r) => setTimeout(r, 300));
      say(pods[0].name, 'after-restart');
      await until('the line after the restart', () => lines.some((l) => l.text === 'after-restart'));
      assert.equal(lines.filter((l) => l.text === 'before-restart').length, 1, 'the line before the restart was repeated');

      const raw = await access.clients.core.readNamespacedPod({ namespace: 'shop', name: pods[0].name });
      const newName = 'checkout-59jxw56675-zzzzz';
      const owner = raw.metadata!.ownerReferences![0];
      mesh().standIn.model.addPod({
        namespace: 'shop',
        name: newName,
        labels: raw.metadata!.labels!,
        owner: { kind: 'ReplicaSet', name: owner.name, uid: owner.uid },
        containers: [{ name: 'checkout', image: 'example/checkout:1' }],
        sidecar: { istioVersion: '1.22.3' },
      });
      await new Promise((r) => setTimeout(r, 600));
      say(newName, 'from-new-replica');
      await until('the new replica', () => lines.some((l) => l.pod === newName && l.text === 'from-new-replica'));

      mesh().standIn.model.deletePod('shop', pods[2].name);
      await until('the deleted pod to be let go', () => notices.some((n) => n.startsWith(`${pods[2].name}/istio-proxy`) && /pod is gone/.test(n)));
    } finally {
      await session.stop();
    }
  });
});
