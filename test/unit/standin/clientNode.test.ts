import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import * as net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import WebSocket from 'ws';
import { type StandIn, startStandIn } from '../../standin/index';

/*
 * The stand-in against the real @kubernetes/client-node 1.4.0 (never mocked): everything Mesh
 * Doctor does through client-node must work here as against a cluster.
 */

const T0 = Date.parse('2026-11-26T15:52:33.000Z');

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('stand-in with the real client-node', function () {
  this.timeout(20_000);
  let k8s: typeof ClientNode;
  let standIn: StandIn;
  let kc: ClientNode.KubeConfig;
  let core: ClientNode.CoreV1Api;
  let checkout: string;

  before(async () => {
    k8s = await import('@kubernetes/client-node');
    standIn = await startStandIn({ scenario: 'incident', manualClock: true, startTime: T0, extraContexts: [{ name: 'standin-prod', user: 'operator' }] });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(standIn.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=checkout' });
    checkout = pods.items[0].metadata!.name!;
  });
  after(() => standIn.close());

  it('writes a kubeconfig with the named contexts, the CA and a token each', () => {
    assert.deepEqual(kc.getContexts().map((c) => c.name), ['standin-incident', 'standin-prod']);
    assert.equal(kc.getCurrentContext(), 'standin-incident');
    assert.equal(kc.getCurrentCluster()?.server, standIn.url);
    assert.notEqual(kc.getUser('operator')?.token, kc.getUser('mesh-doctor')?.token);
  });

  it('lists namespaces and pages through all pods with limit and continue', async () => {
    const namespaces = await core.listNamespace();
    assert.deepEqual(namespaces.items.map((n) => n.metadata?.name), ['identity', 'istio-system', 'legacy', 'shop']);
    const all = await core.listPodForAllNamespaces();
    const paged: string[] = [];
    let cont: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 4, _continue: cont });
      assert.ok(page.items.length <= 4);
      paged.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      cont = page.metadata?._continue;
    } while (cont);
    assert.deepEqual(paged, all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
    assert.equal(new Set(paged).size, all.items.length);
  });

  it('filters pods by equality and set-based label selectors', async () => {
    const names = async (labelSelector: string) =>
      (await core.listNamespacedPod({ namespace: 'shop', labelSelector })).items.map((p) => p.metadata?.labels?.app).sort();
    assert.deepEqual(await names('app=checkout'), ['checkout', 'checkout', 'checkout']);
    assert.deepEqual(await names('app in (cart,frontend)'), ['cart', 'frontend']);
    assert.deepEqual(await names('app in (cart,frontend),app!=cart'), ['frontend']);
  });

  it('serves pods with owner references, sidecars and a native sidecar', async () => {
    const pod = await core.readNamespacedPod({ namespace: 'shop', name: checkout });
    assert.equal(pod.metadata?.ownerReferences?.[0].kind, 'ReplicaSet');
    assert.ok(pod.spec?.containers.some((c) => c.name === 'istio-proxy' && c.image?.endsWith(':1.22.3')));
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const rs = await apps.readNamespacedReplicaSet({ namespace: 'shop', name: pod.metadata!.ownerReferences![0].name });
    assert.equal(rs.metadata?.ownerReferences?.[0].kind, 'Deployment');
    const cart = (await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' })).items[0];
    const proxy = cart.spec?.initContainers?.find((c) => c.name === 'istio-proxy');
    assert.equal(proxy?.restartPolicy, 'Always');
    const sts = await apps.listNamespacedStatefulSet({ namespace: 'shop' });
    assert.deepEqual(sts.items.map((s) => s.metadata?.name), ['cart-redis']);
    await assert.rejects(core.readNamespacedPod({ namespace: 'shop', name: 'nope' }), (err: { code?: number }) => err.code === 404);
  });

  it('streams ADDED, MODIFIED and DELETED to a Watch', async () => {
    const events: string[] = [];
    const watch = new k8s.Watch(kc);
    const list = await core.listNamespacedPod({ namespace: 'legacy' });
    const controller = await watch.watch(
      '/api/v1/namespaces/legacy/pods',
      { resourceVersion: list.metadata?.resourceVersion },
      (type, obj: ClientNode.V1Pod) => events.push(`${type} ${obj.metadata?.name}`),
      () => undefined,
    );
    standIn.model.addPod({ namespace: 'legacy', name: 'batch-1', labels: { app: 'batch' } });
    standIn.model.modifyPod('legacy', 'batch-1', { labels: { app: 'batch', run: '2' } });
    standIn.model.deletePod('legacy', 'batch-1');
    await eventually(() => events.length >= 3, 'three watch events');
    controller.abort();
    assert.deepEqual(events, ['ADDED batch-1', 'MODIFIED batch-1', 'DELETED batch-1']);
  });

  // A default install writes no access log; a Telemetry resource in the namespace turns it on.
  it('answers Log with tailLines, sinceTime and timestamps, and follows new lines (access log on through a Telemetry resource)', async () => {
    standIn.model.setAccessLogTelemetry('shop', true);
    standIn.model.advance(20_000);
    const log = new k8s.Log(kc);
    const app = (await core.readNamespacedPod({ namespace: 'shop', name: checkout })).spec!.containers[0].name;
    const tail = new Collect();
    await new Promise<void>((resolve) => {
      tail.on('finish', resolve);
      void log.log('shop', checkout, app, tail, { tailLines: 3, timestamps: true });
    });
    const lines = tail.text.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /^2026-11-26T15:5\d:\d\d\.\d{9}Z /);
    assert.match(lines[2], /\t\.\.\. 42 common frames omitted$/);

    const schedule = standIn.model.identitySchedule('shop', checkout)!;
    const sinceMs = schedule.firstMs + 2 * schedule.periodMs + schedule.timeoutMs;
    const since = new Collect();
    await new Promise<void>((resolve) => {
      since.on('finish', resolve);
      void log.log('shop', checkout, 'istio-proxy', since, { sinceTime: new Date(sinceMs).toISOString(), timestamps: false });
    });
    const accessLines = since.text.trimEnd().split('\n');
    assert.ok(accessLines.every((l) => l.includes('UF,URX')), since.text);
    assert.match(accessLines[0], new RegExp(`^\\[${new Date(schedule.firstMs + 2 * schedule.periodMs).toISOString().replace(/[.]/g, '\\.')}\\] "- - -" 0 UF,URX .* 0 0 1000 `));

    const follow = new PassThrough();
    let followed = '';
    follow.on('data', (d: Buffer) => (followed += d.toString('utf8')));
    const controller = await log.log('shop', checkout, 'istio-proxy', follow, { follow: true, tailLines: 0 });
    standIn.model.advance(schedule.periodMs);
    await eventually(() => followed.includes('UF,URX'), 'a followed access-log line');
    controller.abort();
    standIn.model.setAccessLogTelemetry('shop', false);
  });

  it('answers 400 for a log request without a container on a multi-container pod', async () => {
    const res = await fetchApi(`/api/v1/namespaces/shop/pods/${checkout}/log`);
    assert.equal(res.status, 400);
    assert.match(String(res.body.message), /a container name must be specified for pod .*, choose one of: \[checkout istio-proxy\]/);
  });

  it('runs pilot-agent request over Exec v5 with stdout, stderr and exit status', async () => {
    const run = async (container: string, command: string[]) => {
      const stdout = new Collect();
      const stderr = new Collect();
      const status = await new Promise<ClientNode.V1Status>((resolve) => {
        void new k8s.Exec(kc).exec('shop', checkout, container, command, stdout, stderr, null, false, resolve);
      });
      return { status, stdout: stdout.text, stderr: stderr.text };
    };
    const ok = await run('istio-proxy', ['pilot-agent', 'request', 'GET', 'server_info']);
    assert.equal(ok.status.status, 'Success');
    // Envoy's ServerInfo has no Istio field; Istio's version is in the node metadata.
    assert.equal((JSON.parse(ok.stdout) as { node: { metadata: { ISTIO_VERSION: string } } }).node.metadata.ISTIO_VERSION, '1.22.3');

    const debug = await run('istio-proxy', ['pilot-agent', 'request', 'POST', 'logging?level=debug']);
    assert.match(debug.stdout, /^active loggers:\n {2}admin: debug\n/);
    assert.equal(standIn.model.envoyLogLevels('shop', checkout).pool, 'debug');

    // pilot/pkg/request/command.go: a 404 is printed and exits 0; another error status is logged
    // on stdout (Istio's logger) and pilot-agent exits 255 (os.Exit(-1)).
    const notFound = await run('istio-proxy', ['pilot-agent', 'request', 'GET', 'nosuch']);
    assert.equal(notFound.status.status, 'Success');
    assert.match(notFound.stdout, /^invalid path\. admin commands are:\n/);
    const refused = await run('istio-proxy', ['pilot-agent', 'request', 'POST', 'logging?nosuch=debug']);
    assert.equal(refused.status.details?.causes?.[0].message, '255');
    assert.match(refused.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\terror\treceived unsuccessful status code 400: error: unknown logger name\n/);
    assert.equal(refused.stderr, '');

    const missing = await run('istio-proxy', ['ls', '/']);
    assert.equal(missing.status.status, 'Failure');
    assert.equal(missing.status.reason, 'NonZeroExitCode');
    assert.equal(missing.status.details?.causes?.[0].message, '127');
    assert.equal(missing.stderr, 'exec: "ls": executable file not found in $PATH\n');
    standIn.model.advance(6000);
  });

  it('sends the initial empty frame and the status over v4 too, then closes normally', async () => {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const url = `${standIn.url.replace('https', 'wss')}/api/v1/namespaces/shop/pods/${checkout}/exec?command=pilot-agent&command=request&command=GET&command=ready&container=istio-proxy&stdout=true&stderr=true`;
    const ws = new WebSocket(url, ['v4.channel.k8s.io'], opts as WebSocket.ClientOptions);
    const frames: Buffer[] = [];
    ws.on('message', (d: Buffer) => frames.push(d));
    const code = await new Promise<number>((resolve, reject) => {
      ws.on('close', resolve);
      ws.on('error', reject);
    });
    assert.equal(ws.protocol, 'v4.channel.k8s.io');
    assert.equal(code, 1000);
    assert.deepEqual(frames[0], Buffer.from([1]));
    assert.equal(frames[1].toString('utf8', 1), 'LIVE\n\n');
    assert.equal(frames[2][0], 3);
    assert.deepEqual(JSON.parse(frames[2].toString('utf8', 1)), { metadata: {}, status: 'Success' });
    assert.ok(frames.every((f) => f[0] !== 255));
  });

  it('port-forwards to the Envoy admin port and an HTTP request gets /server_info', async () => {
    const pf = new k8s.PortForward(kc);
    const server = net.createServer((socket) => void pf.portForward('shop', checkout, [15000], socket, null, socket));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/server_info`);
      const info = (await res.json()) as { state: string; node: { id: string; metadata: { ISTIO_VERSION: string } } };
      assert.equal(info.state, 'LIVE');
      assert.equal(info.node.metadata.ISTIO_VERSION, '1.22.3');
      assert.match(info.node.id, new RegExp(`^sidecar~10\\.[\\d.]+~${checkout}\\.shop~shop\\.svc\\.cluster\\.local$`));
      const clusters = await (await fetch(`http://127.0.0.1:${port}/config_dump?resource=dynamic_active_clusters&mask=cluster.name,cluster.connect_timeout`)).json();
      assert.ok(JSON.stringify(clusters).includes('"name":"outbound|443||idp.example.com","connect_timeout":"1s"'));
    } finally {
      server.close();
    }
  });

  it('reports an unopened port on the port-forward error channel', async () => {
    const errors = new Collect();
    const ws = await new k8s.PortForward(kc).portForward('shop', checkout, [8081], new Collect(), errors, new PassThrough());
    await eventually(() => errors.text.length > 0, 'an error-channel message');
    assert.match(errors.text, /error forwarding port 8081 to pod .*connect: connection refused/);
    (ws as WebSocket).close();
  });

  it('rejects a wrong token with a 401 Status and a wrong CA at the TLS handshake', async () => {
    const bad = new k8s.KubeConfig();
    bad.loadFromString(JSON.stringify({
      clusters: [{ name: 'c', cluster: { server: standIn.url, 'certificate-authority-data': kc.getCurrentCluster()!.caData } }],
      users: [{ name: 'u', user: { token: 'wrong' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }));
    await assert.rejects(bad.makeApiClient(k8s.CoreV1Api).listNamespace(), (err: { code?: number }) => err.code === 401);
    const raw = await fetchApi('/api/v1/namespaces', 'wrong');
    assert.deepEqual([raw.status, raw.body.kind, raw.body.reason, raw.body.code], [401, 'Status', 'Unauthorized', 401]);

    const otherCa = await startStandIn({ scenario: 'incident', manualClock: true, freshCertificates: true });
    try {
      const wrongCa = new k8s.KubeConfig();
      wrongCa.loadFromString(JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: standIn.url, 'certificate-authority-data': Buffer.from(otherCa.caCertPem).toString('base64') } }],
        users: [{ name: 'u', user: { token: standIn.token } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }));
      await assert.rejects(wrongCa.makeApiClient(k8s.CoreV1Api).listNamespace(), /self.signed|unable to verify|certificate/i);
    } finally {
      await otherCa.close();
    }
  });

  it('injects 403 on port-forward, 500 on list and a dropped exec WebSocket on demand', async () => {
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', namespace: 'shop', times: 1 });
    await assert.rejects(new k8s.PortForward(kc).portForward('shop', checkout, [15000], new Collect(), new Collect(), new PassThrough()), (err: { message?: string }) =>
      /Unexpected server response: 403/.test(String(err.message)),
    );
    const denied = standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward', times: 1 });
    const res = await rawUpgrade(`/api/v1/namespaces/shop/pods/${checkout}/portforward?ports=15000`);
    assert.equal(standIn.model.removeFault(denied), false, 'the fault was used up');
    assert.match(res, /^HTTP\/1.1 403 Forbidden/);
    assert.match(res, new RegExp(`pods \\\\"${checkout}\\\\" is forbidden: User \\\\"system:serviceaccount:mesh-doctor:mesh-doctor\\\\" cannot create resource \\\\"pods/portforward\\\\" in API group \\\\"\\\\" in the namespace \\\\"shop\\\\"`));

    standIn.model.addFault({ kind: 'status', code: 500, verb: 'list', times: 1 });
    await assert.rejects(core.listNamespacedPod({ namespace: 'shop' }), (err: { code?: number }) => err.code === 500);
    assert.equal((await core.listNamespacedPod({ namespace: 'shop' })).items.length > 0, true);

    standIn.model.addFault({ kind: 'dropWebSocket', verb: 'exec', afterMs: 50, times: 1 });
    const stdout = new Collect();
    let status: ClientNode.V1Status | null = null;
    const ws = (await new k8s.Exec(kc).exec('shop', checkout, 'istio-proxy', ['pilot-agent', 'request', 'GET', 'ready'], stdout, null, null, false, (s) => (status = s))) as WebSocket;
    const closeCode = await new Promise<number>((r) => ws.on('close', r));
    assert.equal(closeCode, 1006, 'abnormal closure: no close frame');
    assert.equal(status, null);

    standIn.model.addFault({ kind: 'dropWebSocket', verb: 'portforward', pod: checkout, afterMs: 50, times: 1 });
    const forwarded = new Collect();
    const pfSocket = (await new k8s.PortForward(kc).portForward('shop', checkout, [15000], forwarded, new Collect(), new PassThrough())) as WebSocket;
    assert.equal(await new Promise<number>((r) => pfSocket.on('close', r)), 1006);
  });

  /** GET with the stand-in's CA and token, returning status and parsed JSON body. */
  async function fetchApi(path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    if (token) opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    return new Promise((resolve, reject) => {
      https
        .get(`${standIn.url}${path}`, opts, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        })
        .on('error', reject);
    });
  }

  /** Sends a WebSocket upgrade and returns the raw HTTP answer (for refused upgrades). */
  async function rawUpgrade(path: string): Promise<string> {
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = https.request(`${standIn.url}${path}`, {
        ...opts,
        headers: { ...opts.headers, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io' },
      });
      req.on('response', (res) => {
        let text = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n\r\n`;
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve(text));
      });
      req.on('upgrade', () => reject(new Error('upgrade unexpectedly accepted')));
      req.on('error', reject);
      req.end();
    });
  }
});
