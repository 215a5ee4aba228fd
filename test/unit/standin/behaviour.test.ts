import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { type StandIn, startStandIn } from '../../standin/index';

/* Restarts, dropped streams, the HTTP control API, the load knob, the scale scenario and `npm run sim`. */

const T0 = Date.parse('2026-11-26T15:52:33.000Z');

interface Answer {
  readonly status: number;
  readonly text: string;
  /** True when the connection died before the response ended properly. */
  readonly aborted: boolean;
}

function call(standIn: StandIn, method: string, urlPath: string, body?: unknown, onData?: (text: string) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${standIn.url}${urlPath}`, { method, ca: standIn.caCertPem, headers: { Authorization: `Bearer ${standIn.token}`, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      let aborted = false;
      res.on('data', (d: Buffer) => {
        text += d.toString('utf8');
        onData?.(text);
      });
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, text, aborted: aborted || !res.complete }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function podName(standIn: StandIn, namespace: string, app: string): string {
  const pod = standIn.model.mesh.listPods(namespace).find((p) => p.labels.app === app);
  if (!pod) throw new Error(`no ${app} pod in ${namespace}`);
  return pod.name;
}

describe('stand-in behaviour', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', manualClock: true, startTime: T0 });
  });
  after(() => standIn.close());

  it('restarts a container: restartCount rises, a follow ends, the old log is `previous`, Envoy levels reset', async () => {
    const pod = podName(standIn, 'shop', 'frontend');
    standIn.model.emitLog('shop', pod, 'frontend', ['before the restart']);
    const follow = call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=frontend&follow=true`);
    await new Promise((r) => setTimeout(r, 50));
    const restarted = await call(standIn, 'POST', `/standin/v1/pods/shop/${pod}/restart`, { container: 'frontend' });
    assert.equal(restarted.status, 200);
    const followed = await follow;
    assert.equal(followed.aborted, false, 'the follow ends cleanly when the container instance ends');
    assert.match(followed.text, /before the restart/);
    const json = JSON.parse((await call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}`)).text) as { status: { containerStatuses: { name: string; restartCount: number }[] } };
    assert.equal(json.status.containerStatuses.find((c) => c.name === 'frontend')?.restartCount, 1);
    const previous = await call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=frontend&previous=true`);
    assert.match(previous.text, /before the restart/);
    const current = await call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=frontend`);
    assert.doesNotMatch(current.text, /before the restart/);
    assert.match(current.text, /Started Application/);

    const proxy = () => standIn.model.mesh.runtime(standIn.model.mesh.requirePod('shop', pod)).proxy!;
    proxy().levels.set('pool', 'debug');
    standIn.model.restartPod('shop', pod, 'frontend');
    assert.equal(standIn.model.envoyLogLevels('shop', pod).pool, 'debug', 'an app restart leaves Envoy alone');
    standIn.model.restartPod('shop', pod, 'istio-proxy');
    assert.equal(standIn.model.envoyLogLevels('shop', pod).pool, 'warning', 'a restarted Envoy starts at its default levels');
  });

  it('caps a log answer at limitBytes', async () => {
    const pod = podName(standIn, 'shop', 'frontend');
    const whole = await call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=istio-proxy`);
    const capped = await call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=istio-proxy&limitBytes=40&follow=true`);
    assert.ok(whole.text.length > 40);
    assert.equal(capped.text, whole.text.slice(0, 40));
    assert.equal(capped.aborted, false);
  });

  it('cuts a followed log stream and a watch on demand', async () => {
    const pod = podName(standIn, 'shop', 'frontend');
    standIn.model.addFault({ kind: 'dropLogStream', afterMs: 30, pod, times: 1 });
    const log = await call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=istio-proxy&follow=true`);
    assert.equal(log.aborted, true);
    standIn.model.addFault({ kind: 'dropWatch', afterMs: 30, times: 1 });
    const watch = await call(standIn, 'GET', '/api/v1/namespaces/shop/pods?watch=true');
    assert.equal(watch.aborted, true);
    assert.match(watch.text.split('\n')[0], /^\{"type":"ADDED","object":\{"kind":"Pod","apiVersion":"v1","metadata":/);
  });

  it('emits DELETED to a watch when the control API deletes a pod, then 404s it', async () => {
    const pod = podName(standIn, 'legacy', 'reports');
    const rv = (JSON.parse((await call(standIn, 'GET', '/api/v1/namespaces/legacy/pods')).text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    let seen = '';
    const watch = call(standIn, 'GET', `/api/v1/namespaces/legacy/pods?watch=true&resourceVersion=${rv}&timeoutSeconds=1`, undefined, (t) => (seen = t));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await call(standIn, 'POST', `/standin/v1/pods/legacy/${pod}/delete`)).status, 200);
    const done = await watch;
    assert.equal(done.aborted, false, 'timeoutSeconds ends the watch cleanly');
    const events = seen.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string; deletionTimestamp?: string } } });
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), [`DELETED ${pod}`]);
    assert.ok(events[0].object.metadata.deletionTimestamp);
    const gone = await call(standIn, 'GET', `/api/v1/namespaces/legacy/pods/${pod}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(JSON.parse(gone.text), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pods "${pod}" not found`, reason: 'NotFound', details: { name: pod, kind: 'pods' }, code: 404 });
  });

  it('serves faults, clock and Envoy levels over the HTTP control API and explains bad calls', async () => {
    const added = JSON.parse((await call(standIn, 'POST', '/standin/v1/faults', { kind: 'status', code: 500, verb: 'get', namespace: 'identity' })).text) as { id: number };
    const pod = podName(standIn, 'identity', 'idp');
    const failed = await call(standIn, 'GET', `/api/v1/namespaces/identity/pods/${pod}`);
    assert.equal(failed.status, 500);
    assert.equal((JSON.parse(failed.text) as { reason: string }).reason, 'InternalError');
    await call(standIn, 'DELETE', `/standin/v1/faults/${added.id}`);
    assert.equal((await call(standIn, 'GET', `/api/v1/namespaces/identity/pods/${pod}`)).status, 200);

    const before = standIn.model.now();
    await call(standIn, 'POST', '/standin/v1/clock/advance', { ms: 2500 });
    assert.equal(standIn.model.now() - before, 2500);
    const levels = JSON.parse((await call(standIn, 'GET', `/standin/v1/pods/identity/${pod}/envoy/logging`)).text) as Record<string, string>;
    assert.equal(levels.connection, 'warning');

    const bad = await call(standIn, 'POST', '/standin/v1/faults', { kind: 'explode' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /unknown fault kind \\"explode\\"/);
    assert.equal((await call(standIn, 'POST', '/standin/v1/pods/shop/nope/delete')).status, 404);
    assert.equal((await call(standIn, 'POST', '/standin/v1/faults', '{not json')).status, 400);
    assert.equal((await call(standIn, 'GET', '/api/v1/pods?watch=true&resourceVersion=abc')).status, 400);
    assert.match((await call(standIn, 'GET', '/api/v1/pods?labelSelector=app%20in%20(x')).text, /"code":400/);
    const badPod = await call(standIn, 'POST', '/standin/v1/pods', { namespace: 'Shop', name: 'x' });
    assert.equal(badPod.status, 400);
    assert.match(badPod.text, /metadata.namespace: Invalid value: \\"Shop\\"/);
    const badVersion = await call(standIn, 'POST', '/standin/v1/pods', { namespace: 'shop', name: 'x', sidecar: { istioVersion: 'latest' } });
    assert.match(badVersion.text, /not an Istio version/);
    assert.equal((await call(standIn, 'GET', '/api/v1/namespaces/shop/pods/x')).status, 404, 'nothing was stored');
  });

  it('writes the failing identity calls into the app log as a Java reset trace, 1-2 ms after the Envoy timeout', async () => {
    const pod = podName(standIn, 'legacy', 'billing');
    standIn.model.mesh.runtime(standIn.model.mesh.requirePod('legacy', pod)).proxy!.levels.set('pool', 'debug');
    standIn.model.advance(10_000);
    const envoy = (await call(standIn, 'GET', `/api/v1/namespaces/legacy/pods/${pod}/log?container=istio-proxy&timestamps=true`)).text;
    const app = (await call(standIn, 'GET', `/api/v1/namespaces/legacy/pods/${pod}/log?container=billing&timestamps=true`)).text;
    const timeout = /^(\S+) \[Envoy \(Epoch 0\)\] \[[\d-]+ [\d:.]+\]\[\d+\]\[debug\]\[pool\] \[[^\]]+\] \[C\d+\] connect timeout$/m.exec(envoy);
    assert.ok(timeout, envoy);
    const reset = /^(\S+) Caused by: java\.net\.SocketException: Connection reset$/m.exec(app);
    assert.ok(reset, app);
    const gap = Date.parse(reset[1]) - Date.parse(timeout[1]);
    assert.ok(gap >= 1 && gap <= 2, `reset ${gap} ms after the timeout`);
  });

  it('the load knob writes exactly linesPerSecond lines per second to a follower', async () => {
    const pod = podName(standIn, 'shop', 'loadgen');
    let received = 0;
    let counted = 0;
    const countLines = (text: string) => {
      for (; counted < text.length; counted++) if (text.charCodeAt(counted) === 10) received++;
    };
    const follow = call(standIn, 'GET', `/api/v1/namespaces/shop/pods/${pod}/log?container=istio-proxy&follow=true&tailLines=0`, undefined, countLines);
    await new Promise((r) => setTimeout(r, 50));
    standIn.model.setLoad('shop', pod, 20_000);
    standIn.model.advance(500);
    standIn.model.advance(500);
    const deadline = Date.now() + 10_000;
    while (received < 20_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    standIn.model.setLoad('shop', pod, 0);
    standIn.model.restartPod('shop', pod, 'istio-proxy');
    await follow;
    assert.equal(received, 20_000);
  });
});

describe('stand-in watch bookmarks', function () {
  this.timeout(20_000);
  it('sends BOOKMARKs with the current resourceVersion only to watches that allow them', async () => {
    const standIn = await startStandIn({ scenario: 'incident', manualClock: true, bookmarkIntervalMs: 100 });
    try {
      const [plain, marked] = await Promise.all([
        call(standIn, 'GET', '/api/v1/namespaces/legacy/pods?watch=true&resourceVersion=1&timeoutSeconds=1'),
        call(standIn, 'GET', '/api/v1/namespaces/legacy/pods?watch=true&resourceVersion=1&timeoutSeconds=1&allowWatchBookmarks=true'),
      ]);
      const types = (a: Answer) => a.text.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
      assert.ok(!types(plain).includes('BOOKMARK'));
      const bookmark = marked.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { resourceVersion: string } } }).find((e) => e.type === 'BOOKMARK');
      assert.equal(bookmark?.object.metadata.resourceVersion, String(standIn.model.mesh.resourceVersion));
    } finally {
      await standIn.close();
    }
  });
});

describe('stand-in scale scenario', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  before(async () => {
    standIn = await startStandIn({ scenario: 'scale', manualClock: true, startTime: T0 });
  });
  after(() => standIn.close());

  it('pages 10,000 pods in 200 namespaces and expires a watch from a forgotten resourceVersion', async () => {
    const names = new Set<string>();
    let cont = '';
    do {
      const page = JSON.parse((await call(standIn, 'GET', `/api/v1/pods?limit=1000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).text) as {
        metadata: { continue?: string };
        items: { metadata: { namespace: string; name: string } }[];
      };
      for (const p of page.items) names.add(`${p.metadata.namespace}/${p.metadata.name}`);
      cont = page.metadata.continue ?? '';
    } while (cont);
    assert.equal(names.size, 10_000);
    assert.equal(new Set([...names].map((n) => n.split('/')[0])).size, 200);
    const expired = await call(standIn, 'GET', '/api/v1/pods?watch=true&resourceVersion=1');
    const event = JSON.parse(expired.text.trim()) as { type: string; object: { code: number; reason: string } };
    assert.deepEqual([event.type, event.object.code, event.object.reason], ['ERROR', 410, 'Expired']);
  });

  it('gives every sidecar the generated clusters of the knob', async () => {
    const pod = standIn.model.mesh.listPods('team-042')[0];
    const proxy = standIn.model.mesh.runtime(pod).proxy!;
    assert.equal(proxy.clusters().filter((c) => c.name.startsWith('outbound|') && c.name.includes('svc-')).length, 50);
  });
});

describe('npm run sim', function () {
  this.timeout(60_000);
  it('prints the URL and kubeconfig, then ready, serves, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'standin-sim-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../standin/main.js'), '--scenario', 'incident', '--kubeconfig-out', kubeconfig, '--context', 'sim-test', '--extra-contexts', 'sim-prod']);
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      const deadline = Date.now() + 30_000;
      while (!/^ready$/m.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /^url https:\/\/127\.0\.0\.1:\d+\nkubeconfig .*\ncontext sim-test\nready\n/);
      assert.ok(existsSync(kubeconfig));
      const written = readFileSync(kubeconfig, 'utf8');
      assert.match(written, /current-context: sim-test/);
      assert.match(written, /name: sim-prod/);
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a bad option and exits 2', async () => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../standin/main.js'), '--scenario', 'incident', '--bogus', '1']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    assert.equal(code, 2);
    assert.match(err, /unknown option --bogus\nusage: npm run sim/);
  });
});
