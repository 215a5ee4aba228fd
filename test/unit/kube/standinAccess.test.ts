import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startStandIn, type StandIn } from '../../standin';
import { createKubeClients, toKubeAccessError, type KubeClients } from '../../../src/kube/clients';
import { createApiAdminClient, fetchClusterRows } from '../../../src/kube/envoyAdmin';
import { createKubectlAdminClient } from '../../../src/kube/kubectl';
import { ensureKubectl } from '../../standin/kubectl';
import { isLowConnectTimeout } from '../../../src/core/envoy/clusterRows';
import { loadKubeConfig } from '../../../src/kube/kubeconfig';
import { listPodsPaged, watchPods, type PodEvent } from '../../../src/kube/pods';
import { KubeAccessError, KubeTimeoutError, type PodRef } from '../../../src/kube/types';

const IDP = 'outbound|443||idp.example.com';

async function podNamed(clients: KubeClients, namespace: string, prefix: string): Promise<PodRef> {
  let found: string | undefined;
  await listPodsPaged(clients, namespace, (page) => {
    found ??= page.items.map((p) => p.metadata!.name!).find((n) => n.startsWith(prefix));
  });
  assert.ok(found, `no pod ${prefix}* in ${namespace}`);
  return { context: clients.context, namespace, name: found };
}

describe('cluster access against the stand-in (real client-node)', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  let clients: KubeClients;

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident' });
    clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
  });
  after(() => standIn?.close());
  afterEach(() => standIn.model.clearFaults());

  it('reads an incident pod\'s clusters through port-forward (chunked admin answers): the idp cluster at 1s with connect failures from its hosts', async () => {
    const pod = await podNamed(clients, 'shop', 'checkout-');
    const admin = createApiAdminClient(clients);
    const rows = await fetchClusterRows(admin, pod);
    assert.equal(admin.routeFor(pod), 'portforward');
    const idp = rows.find((r) => r.name === IDP);
    assert.ok(idp, `clusters: ${rows.map((r) => r.name).join(', ')}`);
    assert.equal(idp.type, 'STRICT_DNS');
    assert.equal(idp.connectTimeoutSeconds, 1);
    assert.equal(isLowConnectTimeout(idp, 10), true);
    // Default install: no cluster stats, so the failures are the hosts' cx_connect_fail (envoyproxy/envoy#5444).
    assert.equal(idp.connectTimeouts, null);
    assert.ok((idp.connectFailures ?? 0) > 0, 'cx_connect_fail counted');
    assert.equal(idp.connectFailuresSource, 'host-counters');
    // Istio's own clusters as a sidecar has them: exempt from the low-timeout rule, pipes shown as paths.
    const xds = rows.find((r) => r.name === 'xds-grpc')!;
    assert.deepEqual([xds.connectTimeoutSeconds, xds.isStatic, isLowConnectTimeout(xds, 10)], [1, true, false]);
    assert.match(xds.endpoints[0].address, /XDS$/);
    assert.ok(rows.some((r) => r.direction === 'inbound' && /^inbound\|\d+\|\|$/.test(r.name)), 'an inbound|PORT|| cluster');
    for (const name of ['BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughCluster', 'sds-grpc']) assert.ok(rows.some((r) => r.name === name), name);
    assert.equal(idp.direction, 'outbound');
    const healthy = await fetchClusterRows(admin, await podNamed(clients, 'shop', 'frontend-'));
    assert.equal(healthy.find((r) => r.name === IDP)?.connectTimeoutSeconds, 10);
    assert.equal(isLowConnectTimeout(healthy.find((r) => r.name === IDP)!, 10), false);
  });

  it('falls back to exec of pilot-agent when port-forward is refused with 403, and remembers it', async () => {
    const pod = await podNamed(clients, 'shop', 'checkout-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward' });
    const admin = createApiAdminClient(clients);
    const rows = await fetchClusterRows(admin, pod);
    assert.equal(admin.routeFor(pod), 'exec');
    assert.equal(rows.find((r) => r.name === IDP)?.connectTimeoutSeconds, 1);
    // Port-forward is refused once per pod only: with it forbidden, exec keeps answering.
    const body = await admin.request(pod, 'GET', '/clusters?format=json');
    assert.match(body, /idp\.example\.com/);
  });

  // pilot/pkg/request/command.go: a 404 comes back with exit 0 and Envoy's page; other errors exit 255, logged on stdout.
  it('turns pilot-agent\'s 404 (exit 0) and 400 (exit 255, stdout) into Envoy errors on the exec route and through kubectl', async () => {
    const pod = await podNamed(clients, 'shop', 'checkout-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward' });
    const exec = createApiAdminClient(clients);
    const viaKubectl = createKubectlAdminClient({ kubectlPath: await ensureKubectl(), kubeconfigFiles: [standIn.kubeconfigPath] });
    for (const [route, admin] of [['exec', exec], ['kubectl', viaKubectl]] as const) {
      await assert.rejects(admin.request(pod, 'GET', '/nosuch'), (err: unknown) => {
        assert.ok(err instanceof KubeAccessError, `${route}: ${String(err)}`);
        assert.equal(err.status, 404, route);
        assert.match(err.message, /^Envoy admin GET \/nosuch answered 404 \(not found\): invalid path/, route);
        assert.doesNotMatch(err.message, /not valid JSON/, route);
        return true;
      });
      await assert.rejects(admin.request(pod, 'POST', '/logging?nosuch=debug'), (err: unknown) => {
        assert.ok(err instanceof KubeAccessError, `${route}: ${String(err)}`);
        assert.equal(err.status, 400, route);
        assert.match(err.message, /answered 400: error: unknown logger name/, route);
        return true;
      });
      assert.match(await admin.request(pod, 'GET', '/ready'), /^LIVE\n?$/, `${route}: a 200 keeps its body`);
    }
    assert.equal(exec.routeFor(pod), 'exec');
  });

  it('says what is forbidden and what to ask for when both port-forward and exec are refused', async () => {
    const pod = await podNamed(clients, 'shop', 'checkout-');
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward' });
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'exec' });
    await assert.rejects(createApiAdminClient(clients).request(pod, 'GET', '/clusters?format=json'), (err: unknown) => {
      assert.ok(err instanceof KubeAccessError);
      assert.equal(err.status, 403);
      assert.match(err.message, /pods\/portforward and pods\/exec are forbidden for user "mesh-doctor" in namespace shop/);
      assert.deepEqual(err.remedy, { kind: 'rbac', action: 'create pods/portforward in namespace shop (pods/exec is the fallback)', alternative: 'kubectl-transport' });
      return true;
    });
  });

  it('cancels admin requests on abort', async () => {
    const pod = await podNamed(clients, 'shop', 'checkout-');
    standIn.model.addFault({ kind: 'delay', delayMs: 5_000, verb: 'portforward' });
    const controller = new AbortController();
    const pending = fetchClusterRows(createApiAdminClient(clients), pod, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (err: unknown) => err instanceof Error && err.name === 'AbortError');
  });

  it('puts a time limit on every call and says what it was waiting for: typed API, raw list, port-forward, exec', async () => {
    const pod = await podNamed(clients, 'shop', 'checkout-');
    const quick = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }), undefined, { requestTimeoutSeconds: 0.5 });
    const isTimeout = (pattern: RegExp) => (err: unknown) => {
      assert.ok(err instanceof KubeTimeoutError, String(err));
      assert.equal(err.reason, 'Timeout');
      assert.match(err.message, pattern);
      return true;
    };
    standIn.model.addFault({ kind: 'delay', delayMs: 5_000, verb: 'get', times: 1 });
    let started = Date.now();
    await assert.rejects(quick.core.readNamespacedPod({ namespace: 'shop', name: pod.name }), (err: unknown) => {
      assert.ok(!(err instanceof KubeAccessError), 'the typed call rejects with the raw timeout, worded by toKubeAccessError');
      return isTimeout(/^cannot get pods in namespace shop: timed out after 0\.5 s waiting for the API server at https:\/\/127\.0\.0\.1:/)(toKubeAccessError(err, 'get pods in namespace shop', quick.server));
    });
    assert.ok(Date.now() - started < 3_000);
    standIn.model.addFault({ kind: 'delay', delayMs: 5_000, verb: 'list', times: 1 });
    await assert.rejects(listPodsPaged(quick, 'shop', () => undefined), isTimeout(/timed out after 0\.5 s waiting for the API server to list pods in namespace shop/));
    // A hung kubelet: both upgrades are accepted, then nothing comes.
    standIn.model.addFault({ kind: 'stallWebSocket', verb: 'portforward', times: 1 });
    standIn.model.addFault({ kind: 'stallWebSocket', verb: 'exec', times: 1 });
    started = Date.now();
    await assert.rejects(createApiAdminClient(quick).request(pod, 'GET', '/clusters?format=json'), (err: unknown) => {
      assert.ok(err instanceof KubeAccessError);
      assert.equal(err.reason, 'Timeout');
      assert.match(err.message, new RegExp(`timed out after 0\\.5 s waiting for the Envoy admin answer of shop/${pod.name} \\(port-forward\\).*timed out after 0\\.5 s waiting for the Envoy admin answer of shop/${pod.name} \\(exec\\)`));
      return true;
    });
    assert.ok(Date.now() - started < 3_000);
    // A slow exec upgrade is cut the same way, after a refused port-forward.
    standIn.model.addFault({ kind: 'delay', delayMs: 5_000, verb: 'exec', times: 1 });
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', times: 1 });
    await assert.rejects(createApiAdminClient(quick).request(pod, 'GET', '/clusters?format=json'), (err: unknown) => {
      assert.ok(err instanceof KubeAccessError);
      assert.equal(err.reason, 'Timeout');
      assert.match(err.message, /forbidden \(403\); the exec fallback failed too: timed out after 0\.5 s waiting for the Envoy admin answer of .* \(exec\)$/);
      return true;
    });
  });

  it('refuses a pod whose names Kubernetes would refuse before any request', async () => {
    const admin = createApiAdminClient(clients);
    for (const name of ['../../namespaces/kube-system/pods/x', '--filename=x', 'a%2fb', 'Ünicode']) {
      await assert.rejects(admin.request({ context: clients.context, namespace: 'shop', name }, 'GET', '/clusters'), (err: unknown) => err instanceof KubeAccessError && err.reason === 'Invalid');
    }
  });

  it('turns API errors into KubeAccessError with a remedy: 403 and 401 on list', async () => {
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'list', namespace: 'shop', times: 1 });
    await assert.rejects(listPodsPaged(clients, 'shop', () => undefined), (err: unknown) => err instanceof KubeAccessError && err.status === 403 && err.remedy.kind === 'rbac' && err.remedy.action === 'list pods in namespace shop');
    standIn.model.addFault({ kind: 'status', code: 401, verb: 'list', times: 1 });
    await assert.rejects(listPodsPaged(clients, null, () => undefined), (err: unknown) => err instanceof KubeAccessError && err.status === 401 && err.remedy.kind === 'check' && /log in again|token/.test(err.remedy.advice));
  });

  it('authenticates through an exec credential plugin, as client-node runs it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-exec-auth-'));
    try {
      const plugin = path.join(dir, 'plugin.js');
      const credential = { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: standIn.token } };
      fs.writeFileSync(plugin, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
      const kubeconfig = path.join(dir, 'kubeconfig');
      fs.writeFileSync(kubeconfig, [
        'apiVersion: v1', 'kind: Config', 'current-context: exec',
        'clusters:', '- name: standin', '  cluster:', `    server: ${standIn.url}`, `    certificate-authority-data: ${Buffer.from(standIn.caCertPem).toString('base64')}`,
        'users:', '- name: exec-user', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1beta1', `      command: ${JSON.stringify(process.execPath)}`, `      args: [${JSON.stringify(plugin)}]`, '      interactiveMode: Never',
        'contexts:', '- name: exec', '  context:', '    cluster: standin', '    user: exec-user', '',
      ].join('\n'));
      const viaPlugin = createKubeClients(loadKubeConfig({ kubeconfigSetting: kubeconfig }, {}));
      const { count } = await listPodsPaged(viaPlugin, 'shop', () => undefined);
      assert.ok(count > 0);
      const rows = await fetchClusterRows(createApiAdminClient(viaPlugin), await podNamed(viaPlugin, 'shop', 'checkout-'));
      assert.equal(rows.find((r) => r.name === IDP)?.connectTimeoutSeconds, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows pod deletions through the watch', async () => {
    const pod = await podNamed(clients, 'shop', 'frontend-');
    const events: PodEvent[] = [];
    let synced!: () => void;
    const firstSync = new Promise<void>((r) => (synced = r));
    const deleted = new Promise<void>((resolve) => {
      const watch = watchPods(clients, {
        namespace: 'shop',
        onSync: () => synced(),
        onError: (err) => assert.fail(err.message),
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'DELETED' && e.pod.metadata?.name === pod.name) {
            watch.dispose();
            resolve();
          }
        },
      });
    });
    await firstSync;
    standIn.model.deletePod('shop', pod.name);
    await deleted;
    assert.ok(events.some((e) => e.type === 'DELETED' && e.pod.metadata?.name === pod.name));
  });

  it('restarts a dropped watch by listing again, and still sees later changes', async () => {
    const pod = await podNamed(clients, 'shop', 'loadgen-');
    standIn.model.addFault({ kind: 'dropWatch', afterMs: 100, times: 1 });
    let syncs = 0;
    let resync!: () => void;
    const secondSync = new Promise<void>((r) => (resync = r));
    let gone!: () => void;
    const deleted = new Promise<void>((r) => (gone = r));
    const watch = watchPods(clients, {
      namespace: 'shop',
      initialBackoffMs: 50,
      onSync: (pods) => {
        syncs++;
        if (syncs === 2) resync();
        if (syncs > 2 && !pods.some((p) => p.metadata?.name === pod.name)) gone();
      },
      // A cut stream may or may not surface as an error; either way the watch must list again.
      onError: () => undefined,
      onEvent: (e) => {
        if (e.type === 'DELETED' && e.pod.metadata?.name === pod.name) gone();
      },
    });
    try {
      await secondSync;
      standIn.model.deletePod('shop', pod.name);
      await deleted;
    } finally {
      watch.dispose();
    }
    assert.ok(syncs >= 2, 'listed again after the drop');
  });
});

describe('paged pod listing at scale (10,000 pods)', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  before(async () => {
    standIn = await startStandIn({ scenario: 'scale' });
  });
  after(() => standIn?.close());

  it('hands over one page of at most `limit` pods at a time and asks for the next only when the callback is done', async () => {
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    const sizes: number[] = [];
    let inCallback = false;
    let overlapped = false;
    const result = await listPodsPaged(clients, null, async (page) => {
      if (inCallback) overlapped = true;
      inCallback = true;
      sizes.push(page.items.length);
      assert.equal(page.index, sizes.length - 1);
      await new Promise((r) => setImmediate(r));
      inCallback = false;
    }, { limit: 500 });
    assert.equal(result.count, 10_000);
    assert.equal(result.pages, 20);
    assert.ok(sizes.every((n) => n <= 500), `page sizes ${sizes.join(',')}`);
    assert.equal(overlapped, false, 'a page arrived while the previous one was still being handled');
  });
});
