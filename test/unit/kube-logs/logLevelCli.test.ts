import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useMesh } from './standinHelpers';
import { run } from '../../../src/cli/logLevel';
import { readStateFile } from '../../../src/core/envoyLogging/stateFile';

describe('mesh-doctor log-level against the stand-in', function () {
  this.timeout(60_000);
  const mesh = useMesh();
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-cli-'));
  });
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

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

  it('--restore with nothing saved falls back to the sidecar.istio.io/logLevel annotation, else warning', async () => {
    const [, pod] = await mesh().checkoutPods();
    await cli(['--pod', `shop/${pod.name}`, '--level', 'trace']);
    fs.rmSync(stateFile());
    const raw = mesh().standIn.model.modifyPod('shop', pod.name, { annotations: { 'sidecar.istio.io/logLevel': 'info' } }) as { metadata?: { annotations?: Record<string, string> } };
    assert.equal(raw.metadata?.annotations?.['sidecar.istio.io/logLevel'], 'info');
    const r = await cli(['--pod', `shop/${pod.name}`, '--restore']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /annotation sidecar\.istio\.io\/logLevel=info/);
    assert.ok(Object.values(mesh().standIn.model.envoyLogLevels('shop', pod.name)).every((l) => l === 'info'));
    mesh().standIn.model.modifyPod('shop', pod.name, { annotations: {} });
    const w = await cli(['--pod', `shop/${pod.name}`, '--restore']);
    assert.match(w.err, /warning/);
    assert.ok(Object.values(mesh().standIn.model.envoyLogLevels('shop', pod.name)).every((l) => l === 'warning'));
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
});
