import * as assert from 'node:assert/strict';
import { run } from '../../../src/cli/clusters';
import type { CliIo } from '../../../src/cli/args';
import { createKubeClients } from '../../../src/kube/clients';
import { loadKubeConfig } from '../../../src/kube/kubeconfig';
import { listPodsPaged } from '../../../src/kube/pods';
import { startStandIn, type StandIn } from '../../standin';
import { ensureKubectl } from '../../standin/kubectl';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('mesh-doctor clusters', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  let checkout = '';
  before(async () => {
    standIn = await startStandIn({ scenario: 'incident' });
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    await listPodsPaged(clients, 'shop', (p) => void (checkout ||= p.items.map((i) => i.metadata!.name!).find((n) => n.startsWith('checkout-')) ?? ''));
  });
  after(() => standIn?.close());
  afterEach(() => standIn.model.clearFaults());

  it('prints JSON rows with the documented fields; the idp cluster is 1s and low', async () => {
    const io = capture();
    const code = await run(['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath, '--format', 'json'], io);
    assert.equal(code, 0, io.err);
    const rows = JSON.parse(io.out) as Record<string, unknown>[];
    const idp = rows.find((r) => r.name === 'outbound|443||idp.example.com')!;
    assert.deepEqual(
      { direction: idp.direction, type: idp.type, connectTimeoutSeconds: idp.connectTimeoutSeconds, low: idp.low },
      { direction: 'outbound', type: 'STRICT_DNS', connectTimeoutSeconds: 1, low: true },
    );
    // A default install's stats matcher (default_golden.json inclusion list) exports no
    // cluster.<name>.upstream_cx_* stats: timeouts are unknown, failures come from /clusters' hosts.
    assert.equal(idp.connectTimeouts, null);
    assert.ok(typeof idp.connectFailures === 'number' && idp.connectFailures > 0, `connect failures from host counters: ${String(idp.connectFailures)}`);
    assert.equal(idp.connectFailuresSource, 'host-counters');
    assert.equal((idp.hostCounters as { connectFailures: number }).connectFailures, idp.connectFailures);
    assert.ok(!('config' in idp));
  });

  it('with cluster stats exported (demo profile: proxyStatsMatcher), reads both counters from them', async () => {
    const demo = await startStandIn({ scenario: 'incident', profile: 'demo' });
    try {
      const io = capture();
      assert.equal(await run(['--pod', `shop/${checkout}`, '--kubeconfig', demo.kubeconfigPath, '--format', 'json'], io), 0, io.err);
      const idp = (JSON.parse(io.out) as Record<string, unknown>[]).find((r) => r.name === 'outbound|443||idp.example.com')!;
      assert.equal(typeof idp.connectTimeouts, 'number');
      assert.equal(typeof idp.connectFailures, 'number');
      assert.equal(idp.connectFailuresSource, 'cluster-stats');
      const text = capture();
      assert.equal(await run(['--pod', `shop/${checkout}`, '--kubeconfig', demo.kubeconfigPath], text), 0, text.err);
      assert.doesNotMatch(text.out, /\(hosts\)/);
    } finally {
      await demo.close();
    }
  });

  it('--transport kubectl reads the same clusters through the real kubectl (exec of pilot-agent request)', async () => {
    const kubectl = await ensureKubectl();
    const viaApi = capture();
    const viaKubectl = capture();
    const base = ['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath, '--format', 'json'];
    assert.equal(await run(base, viaApi), 0, viaApi.err);
    assert.equal(await run([...base, '--transport', 'kubectl', '--kubectl', kubectl], viaKubectl), 0, viaKubectl.err);
    const names = (out: string) => (JSON.parse(out) as { name: string; connectTimeoutSeconds: number | null }[]).map((r) => `${r.name}=${r.connectTimeoutSeconds}`).sort();
    assert.deepEqual(names(viaKubectl.out), names(viaApi.out));
    assert.ok(names(viaKubectl.out).includes('outbound|443||idp.example.com=1'));
    // The flag is honoured, not ignored: a kubectl that does not exist fails the run.
    const missing = capture();
    assert.equal(await run([...base, '--transport', 'kubectl', '--kubectl', '/nonexistent/kubectl'], missing), 1);
    assert.match(missing.err, /kubectl/);
    assert.equal(await run([...base, '--transport', 'ssh'], capture()), 2);
  });

  it('prints an aligned table with LOW on the 1s cluster', async () => {
    const io = capture();
    assert.equal(await run(['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath], io), 0, io.err);
    const [table, note] = io.out.split('\n\n');
    const lines = table.trimEnd().split('\n');
    assert.match(lines[0], /^DIRECTION\s+NAME\s+TYPE\s+CONNECT\s+CX_TIMEOUTS\s+CX_FAILS$/);
    const idp = lines.find((l) => l.includes('outbound|443||idp.example.com'))!;
    assert.match(idp, /STRICT_DNS\s+1s LOW\s+n\/a\s+[1-9]\d* \(hosts\)$/);
    // The signal is named, and the one-line change that exports cluster stats is given.
    assert.match(note, /per-host counters of \/clusters/);
    assert.match(note, /proxy\.istio\.io\/config: '\{"proxyStatsMatcher":\{"inclusionRegexps":\[".\*upstream_cx_connect_\.\*"\]\}\}'/);
    const nameColumn = lines[0].indexOf('NAME');
    assert.ok(lines.slice(1).every((l) => l.indexOf(l.trim().split(/\s+/)[1]) === nameColumn), 'names aligned');
  });

  it('exits 2 on bad usage and 1 with the hint when the pod cannot be reached', async () => {
    const usage = capture();
    assert.equal(await run(['--pod', 'no-slash'], usage), 2);
    assert.match(usage.err, /--pod NAMESPACE\/POD/);
    assert.equal(await run(['--pod', 'shop/x', '--format', 'yaml'], capture()), 2);
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward' });
    standIn.model.addFault({ kind: 'status', code: 403, verb: 'exec' });
    const io = capture();
    assert.equal(await run(['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath], io), 1);
    assert.match(io.err, /forbidden/);
    assert.match(io.err, /What to do: ask your cluster admin for permission to create pods\/portforward in namespace shop .*, or retry with --transport kubectl/);
    assert.doesNotMatch(io.err, /meshDoctor\./);
  });

  it('--timeout ends a stalled port-forward and exec with what it waited for and how to allow longer', async () => {
    standIn.model.addFault({ kind: 'stallWebSocket', verb: 'portforward' });
    standIn.model.addFault({ kind: 'delay', delayMs: 10_000, verb: 'exec' });
    const io = capture();
    const started = Date.now();
    assert.equal(await run(['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath, '--timeout', '1'], io), 1);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.match(io.err, new RegExp(`timed out after 1 s waiting for the Envoy admin answer of shop/${checkout} \\(port-forward\\)`));
    assert.match(io.err, /What to do: .*--timeout SECONDS/);
    assert.equal(await run(['--pod', `shop/${checkout}`, '--timeout', 'soon'], capture()), 2);
  });

  it('says a pod without a sidecar has no istio-proxy container', async () => {
    let reports = '';
    const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: standIn.kubeconfigPath }));
    await listPodsPaged(clients, 'legacy', (p) => void (reports ||= p.items.map((i) => i.metadata!.name!).find((n) => n.startsWith('reports-')) ?? ''));
    const io = capture();
    assert.equal(await run(['--pod', `legacy/${reports}`, '--kubeconfig', standIn.kubeconfigPath], io), 1);
    assert.match(io.err, new RegExp(`legacy/${reports} has no istio-proxy container`));
    assert.match(io.err, /What to do: pick a pod with an Istio sidecar/);
    assert.doesNotMatch(io.err, /API server health/);
  });

  it('refuses namespace and pod names Kubernetes would refuse (exit 2, before any cluster call)', async () => {
    for (const pod of ['shop/--filename=http://evil.example/x', 'shop/../x', '../x', 'shop/x\u001b[2J', `shop/${'a'.repeat(300)}`, '-n/x']) {
      const io = capture();
      assert.equal(await run(['--pod', pod, '--kubeconfig', standIn.kubeconfigPath], io), 2, pod);
      assert.match(io.err, /--pod: the (pod name|namespace) "|--pod. argument is ambiguous/);
      assert.doesNotMatch(io.err, /\u001b/);
    }
  });
});
