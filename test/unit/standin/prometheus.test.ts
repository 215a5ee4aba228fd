import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startStandIn, type StandIn } from '../../standin';
import { startMetricsTargets } from '../../standin/prometheusTargets';

async function scrape(address: string): Promise<string> {
  const res = await fetch(`http://${address}/stats/prometheus`);
  assert.equal(res.status, 200);
  return res.text();
}

function series(text: string, metric: string, labels: Record<string, string>): number[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
}

describe('stand-in metrics for Prometheus (merged endpoint, file_sd)', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  let dir: string;
  before(async () => {
    standIn = await startStandIn({ scenario: 'incident', manualClock: true, startTime: '2026-01-05T10:00:00Z' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mesh-doctor-sd-'));
  });
  after(async () => {
    await standIn?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("lists every sidecar pod in the file_sd file with namespace/pod labels, each on its own loopback port; pods added and deleted follow", async () => {
    const targets = await startMetricsTargets(standIn.model.mesh, path.join(dir, 'targets.json'));
    try {
      const read = async () => JSON.parse(await fs.readFile(targets.sdFile, 'utf8')) as { targets: string[]; labels: { namespace: string; pod: string } }[];
      const groups = await read();
      const sidecars = standIn.model.mesh.listPods(null).filter((p) => p.input.sidecar);
      assert.equal(groups.length, sidecars.length);
      assert.deepEqual(new Set(groups.map((g) => `${g.labels.namespace}/${g.labels.pod}`)), new Set(sidecars.map((p) => p.key)));
      assert.equal(new Set(groups.map((g) => g.targets[0])).size, groups.length, 'one port per pod');
      assert.ok(groups.every((g) => /^127\.0\.0\.1:\d+$/.test(g.targets[0])));
      assert.ok(!groups.some((g) => g.labels.pod.startsWith('reports-') || g.labels.namespace === 'istio-system'), 'no target for pods without a sidecar');

      standIn.model.addPod({ namespace: 'shop', name: 'late-1', sidecar: { istioVersion: '1.22.3' } });
      await targets.settled();
      assert.ok((await read()).some((g) => g.labels.pod === 'late-1'));
      standIn.model.deletePod('shop', 'late-1');
      await targets.settled();
      assert.ok(!(await read()).some((g) => g.labels.pod === 'late-1'));
    } finally {
      await targets.close();
    }
  });

  it("serves Istio's standard metrics with their label set, the incident's UF,URX connections rising with the clock, and Envoy's stats as the stats matcher allows", async () => {
    const targets = await startMetricsTargets(standIn.model.mesh, path.join(dir, 'targets2.json'));
    try {
      const checkout = [...targets.targets.keys()].find((k) => k.startsWith('shop/checkout-'))!;
      const before = await scrape(targets.targets.get(checkout)!);
      const failed = { reporter: 'source', source_workload: 'checkout', source_workload_namespace: 'shop', destination_service: 'idp.example.com', request_protocol: 'tcp', response_flags: 'UF,URX' };
      const [closedBefore] = series(before, 'istio_tcp_connections_closed_total', failed);
      assert.equal(typeof closedBefore, 'number');
      const line = before.split('\n').find((l) => l.startsWith('istio_tcp_connections_closed_total{'))!;
      const labelNames = [...line.matchAll(/([a-z_]+)="/g)].map((m) => m[1]);
      assert.deepEqual(labelNames, ['reporter', 'source_workload', 'source_workload_namespace', 'source_principal', 'source_app', 'source_version', 'source_cluster', 'destination_workload', 'destination_workload_namespace', 'destination_principal', 'destination_app', 'destination_version', 'destination_service', 'destination_service_name', 'destination_service_namespace', 'destination_cluster', 'request_protocol', 'response_flags', 'connection_security_policy', 'source_canonical_service', 'destination_canonical_service', 'source_canonical_revision', 'destination_canonical_revision']);
      assert.equal(series(before, 'istio_requests_total', { reporter: 'destination', destination_workload: 'checkout', response_code: '200', response_flags: '-' }).length, 1, 'inbound traffic from the gateway');
      // A default install exports no cluster.<name>.upstream_cx_* stats; the bootstrap's xds-grpc ones stay.
      assert.equal(series(before, 'envoy_cluster_upstream_cx_connect_timeout', { cluster_name: 'outbound|443||idp.example.com' }).length, 0);
      assert.equal(series(before, 'envoy_cluster_upstream_cx_total', { cluster_name: 'xds-grpc' }).length, 1);

      standIn.model.advance(10_000);
      const [closedAfter] = series(await scrape(targets.targets.get(checkout)!), 'istio_tcp_connections_closed_total', failed);
      assert.equal(closedAfter - closedBefore, 2, 'one failed call every 5 s');

      const frontend = [...targets.targets.keys()].find((k) => k.startsWith('shop/frontend-'))!;
      assert.equal(series(await scrape(targets.targets.get(frontend)!), 'istio_tcp_connections_closed_total', {}).length, 0, 'healthy pods report no failures');
    } finally {
      await targets.close();
    }
  });

  it('an HTTP incident pod reports 503 UF,URX in istio_requests_total; the demo profile exports the cluster connect timeouts', async () => {
    const demo = await startStandIn({ scenario: 'incident', profile: 'demo', manualClock: true });
    demo.model.addPod({ namespace: 'shop', name: 'http-1', labels: { app: 'http-client' }, sidecar: { istioVersion: '1.22.3', incident: true, identityConnectTimeout: '1s', incidentProtocol: 'http' } });
    const targets = await startMetricsTargets(demo.model.mesh, path.join(dir, 'targets3.json'));
    try {
      demo.model.advance(20_000);
      const text = await scrape(targets.targets.get('shop/http-1')!);
      const [failed] = series(text, 'istio_requests_total', { reporter: 'source', source_workload: 'http-client', response_code: '503', response_flags: 'UF,URX', request_protocol: 'http', grpc_response_status: '' });
      const [timeouts] = series(text, 'envoy_cluster_upstream_cx_connect_timeout', { cluster_name: 'outbound|443||idp.example.com' });
      assert.ok(failed > 0);
      assert.equal(timeouts, failed, 'each failed request is one connect timeout');
    } finally {
      await targets.close();
      await demo.close();
    }
  });

  it('npm run sim -- --prometheus starts the real Prometheus, prints its URL before ready, it scrapes every target, and SIGTERM stops it', async () => {
    const kubeconfig = path.join(dir, 'sim.kubeconfig');
    const child = spawn(process.execPath, [path.join(__dirname, '../../standin/main.js'), '--scenario', 'incident', '--kubeconfig-out', kubeconfig, '--prometheus'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const until = Date.now() + 30_000;
      while (!out.includes('ready\n') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const lines = out.split('\n');
      const url = /^prometheus (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines.find((l) => l.startsWith('prometheus ')) ?? '')?.[1];
      assert.ok(url, out);
      assert.ok(lines.indexOf(`prometheus ${url}`) < lines.indexOf('ready'));
      let up = 0;
      for (const stop = Date.now() + 20_000; Date.now() < stop && up < 11; await new Promise((r) => setTimeout(r, 300))) {
        const body = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`)).json()) as { data: { result: { value: [number, string] }[] } };
        up = Number(body.data.result[0]?.value[1] ?? 0);
      }
      assert.equal(up, 11, 'every sidecar pod of the incident scraped');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      await assert.rejects(fetch(`${url}/-/ready`), 'Prometheus stopped with the stand-in');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
