import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useMesh } from '../kube/standinHelpers';
import { run } from '../../../src/cli/logLevel';
import { readStateFile } from '../../../src/files/stateFile';

describe('mesh-doctor log-level against the stand-in', function () {
  this.timeout(60_000);
  const mesh = useMesh();
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-cli-'));
  });
  afterEach(() => {
    fs.rmSync(cache, { recursive: true, force: true });
    mesh().standIn.model.clearFaults();
  });

  const stateFile = () => path.join(cache, 'mesh-doctor', 'log-levels.json');

  async function cli(args: string[], signals?: EventEmitter): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await run([...args, '--kubeconfig', mesh().standIn.kubeconfigPath], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      cwd: process.cwd(),
      env: { ...process.env, XDG_CACHE_HOME: cache, KUBECONFIG: '' },
      ...(signals ? { signals: signals as unknown as NodeJS.Process } : {}),
    });
    return { code, out, err };
  }

  it('prints the current levels as text and as JSON', async () => {
    const [pod] = await mesh().checkoutPods();
    const text = await cli(['--pod', `shop/${pod.name}`]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^active loggers:\n {2}admin: warning\n/);
    const json = await cli(['--pod', `shop/${pod.name}`, '--format', 'json']);
    assert.deepEqual(JSON.parse(json.out), { loggers: mesh().standIn.model.envoyLogLevels('shop', pod.name) });
  });

  it('--level raises, remembers the levels in the state file, and --restore puts them back', async () => {
    const [pod] = await mesh().checkoutPods();
    const original = mesh().standIn.model.envoyLogLevels('shop', pod.name);
    const raised = await cli(['--pod', `shop/${pod.name}`, '--level', 'debug']);
    assert.equal(raised.code, 0, raised.err);
    assert.ok(Object.values(mesh().standIn.model.envoyLogLevels('shop', pod.name)).every((l) => l === 'debug'));
    const saved = readStateFile(stateFile());
    assert.equal(saved.length, 1);
    assert.deepEqual(saved[0].saved, original);
    // A second raise must not overwrite the saved levels with the raised ones.
    await cli(['--pod', `shop/${pod.name}`, '--loggers', 'pool:trace']);
    assert.deepEqual(readStateFile(stateFile())[0].saved, original);
    const restored = await cli(['--pod', `shop/${pod.name}`, '--restore']);
    assert.equal(restored.code, 0, restored.err);
    assert.deepEqual(mesh().standIn.model.envoyLogLevels('shop', pod.name), original);
    assert.deepEqual(readStateFile(stateFile()), []);
  });

  // The injector's levels: --proxyLogLevel (or the annotation) for all, then --proxyComponentLogLevel=misc:error
  // (Istio's injection template, manifests/charts/istio-control/istio-discovery/files/injection-template.yaml).
  it('--restore with nothing saved falls back to the sidecar.istio.io/logLevel annotation, else warning, then the injector\'s misc:error', async () => {
    const [, pod] = await mesh().checkoutPods();
    await cli(['--pod', `shop/${pod.name}`, '--level', 'trace']);
    fs.rmSync(stateFile());
    const raw = mesh().standIn.model.modifyPod('shop', pod.name, { annotations: { 'sidecar.istio.io/logLevel': 'info' } }) as { metadata?: { annotations?: Record<string, string> } };
    assert.equal(raw.metadata?.annotations?.['sidecar.istio.io/logLevel'], 'info');
    const r = await cli(['--pod', `shop/${pod.name}`, '--restore']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /annotation sidecar\.istio\.io\/logLevel=info, then istio-proxy argument --proxyComponentLogLevel=misc:error/);
    const restored = mesh().standIn.model.envoyLogLevels('shop', pod.name);
    assert.equal(restored.misc, 'error');
    assert.ok(Object.entries(restored).every(([n, l]) => n === 'misc' || l === 'info'));
    mesh().standIn.model.modifyPod('shop', pod.name, { annotations: {} });
    const w = await cli(['--pod', `shop/${pod.name}`, '--restore']);
    assert.match(w.err, /warning/);
    // Back exactly where the injector started it: the same levels a fresh sidecar has.
    assert.ok(Object.entries(mesh().standIn.model.envoyLogLevels('shop', pod.name)).every(([n, l]) => l === (n === 'misc' ? 'error' : 'warning')));
  });

  it('--for keeps the raise for the given (fractional) minutes, then restores', async () => {
    const [, , pod] = await mesh().checkoutPods();
    const original = mesh().standIn.model.envoyLogLevels('shop', pod.name);
    const running = cli(['--pod', `shop/${pod.name}`, '--loggers', 'connection:debug,pool:debug', '--for', '0.02']);
    let sawRaised = false;
    while (!sawRaised) {
      await new Promise((r) => setTimeout(r, 50));
      sawRaised = mesh().standIn.model.envoyLogLevels('shop', pod.name).pool === 'debug';
    }
    const r = await running;
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Restored shop\//);
    assert.deepEqual(mesh().standIn.model.envoyLogLevels('shop', pod.name), original);
    assert.deepEqual(readStateFile(stateFile()), []);
  });

  it('--for restores at once on SIGINT', async () => {
    const [pod] = await mesh().checkoutPods();
    const original = mesh().standIn.model.envoyLogLevels('shop', pod.name);
    const signals = new EventEmitter();
    const running = cli(['--pod', `shop/${pod.name}`, '--level', 'debug', '--for', '60'], signals);
    while (signals.listenerCount('SIGINT') === 0) await new Promise((r) => setTimeout(r, 20));
    assert.equal(mesh().standIn.model.envoyLogLevels('shop', pod.name).admin, 'debug');
    signals.emit('SIGINT');
    const r = await running;
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(mesh().standIn.model.envoyLogLevels('shop', pod.name), original);
  });

  it('explains bad usage and unknown pods', async () => {
    const bad = await cli(['--pod', 'nopod']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--pod NAMESPACE\/POD is required/);
    const both = await cli(['--pod', 'shop/x', '--level', 'debug', '--restore']);
    assert.match(both.err, /only one of --level, --loggers and --restore/);
    const gone = await cli(['--pod', 'shop/does-not-exist', '--level', 'debug']);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /not found/);
  });

  /** Starts `--for 60` with an emitter as the signal source; resolves once the raise is done and the wait begun. */
  async function raisedAndWaiting(args: string[]): Promise<{ signals: EventEmitter; running: Promise<{ code: number; out: string; err: string }> }> {
    const signals = new EventEmitter();
    const running = cli([...args, '--for', '60'], signals);
    while (signals.listenerCount('SIGHUP') === 0) await new Promise((r) => setTimeout(r, 20));
    return { signals, running };
  }

  it('a restore that keeps failing keeps the saved levels and says how to retry; --restore later puts back exactly those', async () => {
    const [pod] = await mesh().checkoutPods();
    const model = mesh().standIn.model;
    // The levels an operator had tuned by hand before the raise.
    await cli(['--pod', `shop/${pod.name}`, '--loggers', 'connection:info,pool:error,router:trace']);
    fs.rmSync(stateFile());
    const tuned = model.envoyLogLevels('shop', pod.name);
    const { signals, running } = await raisedAndWaiting(['--pod', `shop/${pod.name}`, '--level', 'debug']);
    model.addFault({ kind: 'status', code: 500, verb: 'portforward', pod: pod.name });
    model.addFault({ kind: 'status', code: 500, verb: 'exec', pod: pod.name });
    signals.emit('SIGHUP');
    const failed = await running;
    assert.equal(failed.code, 1, failed.err);
    assert.match(failed.err, /could not restore shop\/checkout-/);
    assert.match(failed.err, /the saved levels are kept; retry with: mesh-doctor log-level --pod shop\/checkout-\S+ --context standin-incident --kubeconfig \S+ --restore/);
    assert.match(failed.err, /retrying in 0\.5 s/);
    assert.equal(model.envoyLogLevels('shop', pod.name).connection, 'debug', 'still raised');
    const kept = readStateFile(stateFile());
    assert.equal(kept.length, 1, 'the record survives the failed restore');
    assert.deepEqual(kept[0].saved, tuned);
    model.clearFaults();
    const restored = await cli(['--pod', `shop/${pod.name}`, '--restore']);
    assert.equal(restored.code, 0, restored.err);
    assert.deepEqual(model.envoyLogLevels('shop', pod.name), tuned);
    assert.equal(tuned.connection, 'info');
    assert.equal(tuned.pool, 'error');
    assert.equal(tuned.router, 'trace');
    assert.deepEqual(readStateFile(stateFile()), []);
  });

  for (const transport of ['api', 'kubectl'] as const) {
    it(`${transport}: a transient failure during --restore is retried, and the record goes only once the levels are back`, async () => {
      const [, pod] = await mesh().checkoutPods();
      const model = mesh().standIn.model;
      const original = model.envoyLogLevels('shop', pod.name);
      const via = transport === 'kubectl' ? ['--transport', 'kubectl', '--kubectl', mesh().kubectl] : [];
      assert.equal((await cli(['--pod', `shop/${pod.name}`, '--level', 'trace', ...via])).code, 0);
      // The first attempt fails whichever route it takes (port-forward, then exec).
      model.addFault({ kind: 'status', code: 500, verb: 'portforward', pod: pod.name, times: 1 });
      model.addFault({ kind: 'status', code: 500, verb: 'exec', pod: pod.name, times: 1 });
      const r = await cli(['--pod', `shop/${pod.name}`, '--restore', ...via]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /restore of shop\/\S+ failed \(.+\); retrying in 0\.5 s/);
      assert.deepEqual(model.envoyLogLevels('shop', pod.name), original);
      assert.deepEqual(readStateFile(stateFile()), []);
    });

    it(`${transport}: a stalled Envoy admin call ends after --timeout with what it was waiting for`, async () => {
      const [pod] = await mesh().checkoutPods();
      const model = mesh().standIn.model;
      const via = transport === 'kubectl' ? ['--transport', 'kubectl', '--kubectl', mesh().kubectl] : [];
      model.addFault({ kind: 'delay', delayMs: 8_000, verb: 'portforward', pod: pod.name });
      model.addFault({ kind: 'delay', delayMs: 8_000, verb: 'exec', pod: pod.name });
      const started = Date.now();
      const r = await cli(['--pod', `shop/${pod.name}`, '--timeout', '1', ...via]);
      assert.equal(r.code, 1, r.err);
      assert.ok(Date.now() - started < 6_000, `took ${Date.now() - started} ms`);
      const route = transport === 'kubectl' ? 'kubectl exec' : 'exec';
      assert.match(r.err, new RegExp(`timed out after 1 s waiting for the Envoy admin answer of shop/${pod.name} \\(${route}\\)`));
      assert.match(r.err, /--timeout SECONDS/);
    });

    it(`${transport}: a pod without a sidecar is named as such, not blamed on the API server`, async () => {
      const raw = await mesh().access('api').clients.core.listNamespacedPod({ namespace: 'legacy', labelSelector: 'app=reports' });
      const name = raw.items[0].metadata!.name!;
      const via = transport === 'kubectl' ? ['--transport', 'kubectl', '--kubectl', mesh().kubectl] : [];
      const r = await cli(['--pod', `legacy/${name}`, ...via]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, new RegExp(`legacy/${name} has no istio-proxy container`));
      assert.doesNotMatch(r.err, /API server health/);
    });
  }

  it('--for past 7 days is refused instead of restoring at once; SIGHUP (terminal closed) restores', async () => {
    const [, , pod] = await mesh().checkoutPods();
    const model = mesh().standIn.model;
    const original = model.envoyLogLevels('shop', pod.name);
    const tooLong = await cli(['--pod', `shop/${pod.name}`, '--level', 'debug', '--for', '40000']);
    assert.equal(tooLong.code, 2);
    assert.match(tooLong.err, /--for 40000: expected minutes, more than 0 and at most 10080/);
    assert.deepEqual(model.envoyLogLevels('shop', pod.name), original, 'nothing raised');
    const signals = new EventEmitter();
    const running = cli(['--pod', `shop/${pod.name}`, '--level', 'debug', '--for', '10080'], signals);
    while (signals.listenerCount('SIGHUP') === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(model.envoyLogLevels('shop', pod.name).admin, 'debug', 'a 7-day wait does not end at once');
    signals.emit('SIGHUP');
    const r = await running;
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(model.envoyLogLevels('shop', pod.name), original);
  });

  it('a pod deleted during --for: nothing to restore, the record is dropped, the run says so', async () => {
    const model = mesh().standIn.model;
    model.addPod({ namespace: 'shop', name: 'doomed-1', sidecar: { istioVersion: '1.22.3' } });
    const { signals, running } = await raisedAndWaiting(['--pod', 'shop/doomed-1', '--level', 'debug']);
    assert.equal(readStateFile(stateFile()).length, 1);
    model.deletePod('shop', 'doomed-1');
    signals.emit('SIGTERM');
    const r = await running;
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /shop\/doomed-1 was deleted or recreated since the raise/);
    assert.deepEqual(readStateFile(stateFile()), []);
  });

  it('refuses pod names Kubernetes would refuse, before any cluster call (exit 2)', async () => {
    for (const pod of ['shop/--filename=http://evil.example/x', '../x', 'shop/../../x', 'shop/chéckout', `shop/${'a'.repeat(300)}`, 'Shop/x']) {
      const r = await cli(['--pod', pod]);
      assert.equal(r.code, 2, pod);
      assert.match(r.err, /--pod: the (pod name|namespace) "/, pod);
    }
    const t = await cli(['--pod', 'shop/x', '--timeout', '0']);
    assert.equal(t.code, 2);
    assert.match(t.err, /--timeout "0": expected seconds/);
  });
});
