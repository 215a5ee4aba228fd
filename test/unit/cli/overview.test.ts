import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { run } from '../../../src/cli/overview';
import type { CliIo } from '../../../src/cli/args';
import type { OverviewRow } from '../../../src/core/overview/types';
import { createPrometheusClient, PrometheusError } from '../../../src/kube/prometheus';
import { startStandIn, type StandIn } from '../../standin';
import { startStandInPrometheus, waitForScrapes, type StandInPrometheus } from '../../standin/prometheus';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

/** Test-only credentials for the real Prometheus's `--web.config.file` (bcrypt, cost 4). */
const BASIC_USER = 'mesh-doctor';
const BASIC_PASSWORD = 'standin-secret-pw';
const BASIC_HASH = '$2b$04$xDHhGD9kps1lbF.4nhGGzOm.muqr/3CKbBgZqkJVfTiOooBEJ4UzW';

/** A pod whose workload name (its app label) is made to rewrite a terminal: title escape, clear screen, right-to-left override. */
const HOSTILE_APP = 'evil\u001b]0;pwned\u0007\u001b[2J\u202egnp.exe';

describe('mesh-doctor overview (a real Prometheus scraping the stand-in)', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  let prometheus: StandInPrometheus;

  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', profile: 'demo' });
    standIn.model.addPod({ namespace: 'shop', name: 'evil-1', labels: { app: HOSTILE_APP }, sidecar: { istioVersion: '1.22.3', incident: true, identityConnectTimeout: '1s' } });
    prometheus = await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: 1 });
    await waitForScrapes(prometheus, 10);
  });
  after(async () => {
    await prometheus?.close();
    await standIn?.close();
  });

  function assertIncidentFirst(rows: OverviewRow[]): void {
    const first = rows[0];
    assert.deepEqual(
      { sourceWorkload: first.sourceWorkload, sourceNamespace: first.sourceNamespace, destination: first.destination, dominantFlag: first.dominantFlag, cause: first.cause },
      { sourceWorkload: 'checkout', sourceNamespace: 'shop', destination: 'idp.example.com', dominantFlag: 'UF', cause: 'connect-timeout' },
      JSON.stringify(rows),
    );
    assert.ok(first.responseFlags.UF > 0 && first.responseFlags.URX > 0, JSON.stringify(first.responseFlags));
    assert.equal(first.ratePerSecond, first.responseFlags.UF, 'a UF,URX series counts once in the total');
    const idp = first.clusters.find((c) => c.cluster === 'outbound|443||idp.example.com');
    assert.ok(idp && idp.connectTimeoutsPerSecond > 0, JSON.stringify(first.clusters));
    assert.ok(first.series.length > 0 && first.series.some(([, v]) => v > 0), 'a trend for the sparkline');
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].ratePerSecond >= rows[i].ratePerSecond, 'worst first');
    const sources = rows.map((r) => `${r.sourceNamespace}/${r.sourceWorkload}`);
    for (const failing of ['legacy/billing', 'legacy/invoices', `shop/${HOSTILE_APP}`]) assert.ok(sources.includes(failing), `${failing} in ${sources.join(', ')}`);
    for (const healthy of ['shop/frontend', 'shop/cart', 'identity/idp']) assert.ok(!sources.includes(healthy), `${healthy} did not fail`);
  }

  it('ranks shop/checkout -> idp.example.com first, UF -> connect-timeout (cluster stats exported)', async () => {
    const io = capture();
    assert.equal(await run(['--prometheus', prometheus.url, '--minutes', '1', '--format', 'json'], io), 0, io.err);
    assertIncidentFirst(JSON.parse(io.out) as OverviewRow[]);
  });

  it('finds the in-cluster Prometheus through the API server service proxy with the kubeconfig credentials', async () => {
    const io = capture();
    assert.equal(await run(['--kubeconfig', standIn.kubeconfigPath, '--minutes', '1', '--format', 'json'], io), 0, io.err);
    assertIncidentFirst(JSON.parse(io.out) as OverviewRow[]);
  });

  it('text output: aligned rows with flags, cause and a sparkline; hostile label values made visible', async () => {
    const io = capture();
    assert.equal(await run(['--prometheus', prometheus.url, '--minutes', '1'], io), 0, io.err);
    const lines = io.out.split('\n');
    assert.match(lines[0], /Connection failures in the last 1 min/);
    assert.match(lines[2], /^shop\/checkout\s+idp\.example\.com\s+[\d.]+\s+UF [\d.]+, URX [\d.]+\s+connect-timeout\s+[▁▂▃▄▅▆▇█]+$/);
    assert.doesNotMatch(io.out, /[\u0000-\u0009\u000b-\u001f\u202e]/, 'no control or bidi character reaches the terminal');
    assert.ok(io.out.includes('shop/evil\\x1B]0;pwned\\x07\\x1B[2J\\u202Egnp.exe'), 'the workload shown with its escapes');
  });

  it('no such Service: exit 1, the API server words it, and the hint says how to set a Prometheus', async () => {
    const io = capture();
    assert.equal(await run(['--kubeconfig', standIn.kubeconfigPath, '--service', 'monitoring/prometheus-k8s:9090'], io), 1);
    assert.match(io.err, /services "prometheus-k8s" not found/);
    assert.match(io.err, /--prometheus URL/);
    assert.doesNotMatch(io.err, new RegExp(standIn.token));
  });

  it('unreachable URL: exit 1 with the reason and what to check', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const io = capture();
    assert.equal(await run(['--prometheus', `http://user:hunter2@127.0.0.1:${port}/`], io), 1);
    assert.match(io.err, /cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused/);
    assert.doesNotMatch(io.err, /hunter2|user:/, 'credentials in the URL never reach a message');
  });

  it("a refused query: Prometheus's error JSON (400 bad_data) becomes a structured error", async () => {
    const client = createPrometheusClient({ url: prometheus.url, timeoutSeconds: 10 });
    await assert.rejects(client.query('sum(rate(istio_requests_total[5m])'), (err: unknown) => {
      assert.ok(err instanceof PrometheusError);
      assert.deepEqual({ kind: err.kind, status: err.status, errorType: err.errorType }, { kind: 'api', status: 400, errorType: 'bad_data' });
      assert.match(err.message, /parse error/);
      return true;
    });
  });

  it('a cancelled query rejects as aborted', async () => {
    const client = createPrometheusClient({ url: prometheus.url, timeoutSeconds: 10 });
    const controller = new AbortController();
    const pending = client.query('up', { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, (err: unknown) => err instanceof PrometheusError && err.kind === 'aborted');
  });

  it('sends the bearer token and custom headers; a 401 names no secret', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const token = 'tok-3f9a-secret';
    // An authenticating gateway in front of the real Prometheus, as in front of a multi-tenant Mimir.
    const gateway = http.createServer((req, res) => {
      seen.push(req.headers);
      if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end('unauthorized\n');
      const upstream = http.request(new URL(req.url ?? '/', prometheus.url), { headers: { accept: 'application/json' } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      upstream.end();
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
      const io = capture();
      assert.equal(await run(['--prometheus', url, '--minutes', '1', '--format', 'json', '--header', 'X-Scope-OrgID: tenant-1'], io, { MESH_DOCTOR_PROMETHEUS_TOKEN: token }), 0, io.err);
      assert.ok(seen.length >= 3 && seen.every((h) => h.authorization === `Bearer ${token}` && h['x-scope-orgid'] === 'tenant-1'));
      assertIncidentFirst(JSON.parse(io.out) as OverviewRow[]);
      const refused = capture();
      assert.equal(await run(['--prometheus', url], refused, { MESH_DOCTOR_PROMETHEUS_TOKEN: 'wrong-secret-token' }), 1);
      assert.match(refused.err, /rejected the credentials \(401\)/);
      assert.doesNotMatch(refused.err, /wrong-secret-token|Bearer/);
    } finally {
      gateway.closeAllConnections();
      await new Promise<void>((r) => gateway.close(() => r()));
    }
  });

  describe('a Prometheus with basic auth and a failing remote read', () => {
    let guarded: StandInPrometheus;
    before(async () => {
      guarded = await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: 1, basicAuthUsers: { [BASIC_USER]: BASIC_HASH }, remoteReadUrls: ['http://127.0.0.1:9/api/v1/read'], service: null });
      await waitForScrapes(guarded, 10, { Authorization: `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}` });
    });
    after(() => guarded?.close());

    it('basic auth from the environment is checked by the real server; without it 401, no password in the message', async () => {
      const ok = capture();
      assert.equal(await run(['--prometheus', guarded.url, '--minutes', '1', '--format', 'json'], ok, { MESH_DOCTOR_PROMETHEUS_USERNAME: BASIC_USER, MESH_DOCTOR_PROMETHEUS_PASSWORD: BASIC_PASSWORD }), 0, ok.err);
      assert.equal((JSON.parse(ok.out) as OverviewRow[])[0].sourceWorkload, 'checkout');
      const refused = capture();
      assert.equal(await run(['--prometheus', guarded.url], refused, { MESH_DOCTOR_PROMETHEUS_USERNAME: BASIC_USER, MESH_DOCTOR_PROMETHEUS_PASSWORD: 'not-the-password' }), 1);
      assert.match(refused.err, /rejected the credentials \(401\)/);
      assert.doesNotMatch(refused.err, /not-the-password/);
    });

    it("the remote read's failure arrives as Prometheus warnings: shown as a partial result, rows still listed", async () => {
      const io = capture();
      assert.equal(await run(['--prometheus', guarded.url, '--minutes', '1', '--format', 'json'], io, { MESH_DOCTOR_PROMETHEUS_USERNAME: BASIC_USER, MESH_DOCTOR_PROMETHEUS_PASSWORD: BASIC_PASSWORD }), 0, io.err);
      assert.match(io.err, /warning from Prometheus \(the result may be partial\): .*remote/i);
      assert.equal((JSON.parse(io.out) as OverviewRow[])[0].sourceWorkload, 'checkout');
    });
  });
});
