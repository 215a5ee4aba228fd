import * as assert from 'node:assert/strict';
import { emitNumbered, useMesh } from './standinHelpers';
import { type TransportKind } from '../../../src/kube/types';
import { parseEnvoyLoggingListing } from '../../../src/core/envoyLogging/levels';
import { presetChange } from '../../../src/core/envoyLogging/change';
import { raisePodLevels, restorePodLevels } from '../../../src/core/envoyLogging/podLevels';
import { mapBounded } from '../../../src/core/envoyLogging/concurrency';
import { followContainer } from '../../../src/core/envoyLogging/followContainer';
import { findOwningWorkload, listWorkloadPods } from '../../../src/kube/workloads';
import { KubeAccessError } from '../../../src/kube/types';
import { openClusterAccess } from '../../../src/kube/transport';

describe('Envoy logging and logs against the stand-in (real client-node, real kubectl)', function () {
  this.timeout(60_000);
  const mesh = useMesh();
  afterEach(() => mesh().standIn.model.clearFaults());

  for (const kind of ['api', 'kubectl'] as TransportKind[]) {
    it(`${kind}: raises the connection loggers, reads them back, and restores exactly the saved levels`, async () => {
      const [pod] = await mesh().checkoutPods();
      const { admin } = mesh().access(kind).transport;
      const original = mesh().standIn.model.envoyLogLevels(pod.namespace, pod.name);
      const outcome = await raisePodLevels(admin, pod, presetChange('connection'));
      assert.deepEqual(outcome.before, original);
      const live = mesh().standIn.model.envoyLogLevels(pod.namespace, pod.name);
      for (const n of ['connection', 'pool', 'upstream', 'router', 'http', 'filter']) assert.equal(live[n], 'debug', n);
      assert.equal(live.admin, original.admin);
      assert.deepEqual(outcome.after, live);
      const restored = await restorePodLevels(admin, pod, outcome.before);
      assert.deepEqual(restored.mismatches, []);
      assert.deepEqual(mesh().standIn.model.envoyLogLevels(pod.namespace, pod.name), original);
    });

    it(`${kind}: a bare POST /logging lists the levels without changing them`, async () => {
      const [, pod] = await mesh().checkoutPods();
      const before = mesh().standIn.model.envoyLogLevels(pod.namespace, pod.name);
      const listed = parseEnvoyLoggingListing(await mesh().access(kind).transport.admin.request(pod, 'POST', '/logging'));
      assert.deepEqual(listed, before);
      assert.deepEqual(mesh().standIn.model.envoyLogLevels(pod.namespace, pod.name), before);
    });

    it(`${kind}: follows a log across dropped streams without repeating or losing a line`, async () => {
      const [, , pod] = await mesh().checkoutPods();
      const tag = `resume-${kind}-${Date.now()}`;
      mesh().standIn.model.addFault({ kind: 'dropLogStream', pod: pod.name, verb: 'log', afterMs: 400, times: 3 });
      const abort = new AbortController();
      const seen: number[] = [];
      let interruptions = 0;
      let following = false;
      const done = followContainer({
        source: mesh().access(kind).transport.logs,
        pod,
        container: 'istio-proxy',
        initialTailLines: 0,
        retryDelayMs: 50,
        signal: abort.signal,
        shouldResume: async () => true,
        onInterruption: () => interruptions++,
        onLine: (l) => {
          if (l.text === `${tag} ready`) following = true;
          const m = new RegExp(`^${tag} seq=(\\d+)$`).exec(l.text);
          if (m) seen.push(Number(m[1]));
        },
      });
      // The follow starts at the log's end (no tail): emit only once its first stream is reading, which
      // can take a while when kubectl itself is slow to start (a fixed pause lost the first batches).
      const readyBy = Date.now() + 15_000;
      while (!following && Date.now() < readyBy) {
        mesh().standIn.model.emitLog(pod.namespace, pod.name, 'istio-proxy', [`${tag} ready`]);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(following, 'the follow never started reading');
      await emitNumbered(mesh(), pod, 'istio-proxy', tag, 600, 20, 50);
      const deadline = Date.now() + 15_000;
      while (seen.length < 600 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      abort.abort();
      await done;
      assert.ok(interruptions >= 3, `expected the stream to be dropped 3 times, saw ${interruptions}`);
      assert.equal(seen.length, 600, `received ${seen.length} lines`);
      assert.deepEqual(seen, Array.from({ length: 600 }, (_, i) => i));
    });
  }

  it('a 403 on one replica leaves the others changed and names the failing pod', async () => {
    const pods = await mesh().checkoutPods();
    const { admin } = mesh().access('api').transport;
    mesh().standIn.model.addFault({ kind: 'status', code: 403, pod: pods[1].name, verb: 'portforward' });
    mesh().standIn.model.addFault({ kind: 'status', code: 403, pod: pods[1].name, verb: 'exec' });
    const results = await mapBounded(pods, 8, (p) => raisePodLevels(admin, p, { kind: 'all', level: 'debug' }));
    assert.deepEqual(results.map((r) => r.ok), [true, false, true]);
    const failure = results[1];
    assert.ok(!failure.ok && failure.error instanceof KubeAccessError && failure.error.status === 403);
    assert.equal(mesh().standIn.model.envoyLogLevels('shop', pods[0].name).pool, 'debug');
    assert.equal(mesh().standIn.model.envoyLogLevels('shop', pods[1].name).pool, 'warning');
    mesh().standIn.model.clearFaults();
    for (const r of results) if (r.ok) await restorePodLevels(admin, r.item, r.value.before);
  });

  it('kubectl: reports a missing kubectl with what to do', async () => {
    const [pod] = await mesh().checkoutPods();
    const a = openClusterAccess({ kubeconfig: mesh().standIn.kubeconfigPath, transport: 'kubectl', kubectlPath: '/nonexistent/kubectl' });
    await assert.rejects(a.transport.admin.request(pod, 'POST', '/logging'), (e: KubeAccessError) => /kubectl was not found at "\/nonexistent\/kubectl"/.test(e.message) && e.remedy.kind === 'kubectl-path');
  });

  it('finds the Deployment of a pod through its ReplicaSet and lists its replicas', async () => {
    const pods = await mesh().checkoutPods();
    const { clients } = mesh().access('api');
    const raw = await clients.core.readNamespacedPod({ namespace: 'shop', name: pods[0].name });
    const w = await findOwningWorkload(clients, raw);
    assert.deepEqual(w, { context: clients.context, namespace: 'shop', kind: 'Deployment', name: 'checkout' });
    assert.deepEqual((await listWorkloadPods(clients, w!)).map((p) => p.metadata!.name), pods.map((p) => p.name));
  });
});
