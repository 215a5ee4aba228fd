import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type StandIn, startStandIn } from '../../standin/index';
import { ensureKubectl } from '../../standin/kubectl';

/*
 * The stand-in against a real kubectl 1.33.9: discovery, list, logs -f and exec (which kubectl
 * 1.30+ runs over WebSockets, v5.channel.k8s.io). kubectl runs as a child process, never
 * synchronously, because the server lives in this process's event loop.
 */
describe('stand-in with a real kubectl', function () {
  this.timeout(120_000);
  let kubectl: string;
  let standIn: StandIn;
  let home: string;
  let checkout: string;

  function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(kubectl, ['--kubeconfig', standIn.kubeconfigPath, '--cache-dir', path.join(home, 'cache'), ...args], { env: { ...process.env, HOME: home }, timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  before(async () => {
    kubectl = await ensureKubectl();
    standIn = await startStandIn({ scenario: 'incident' });
    home = mkdtempSync(path.join(os.tmpdir(), 'standin-kubectl-'));
    const pods = JSON.parse((await run(['get', 'pods', '-n', 'shop', '-l', 'app=checkout', '-o', 'json'])).stdout) as { items: { metadata: { name: string } }[] };
    checkout = pods.items[0].metadata.name;
  });
  after(async () => {
    await standIn?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('is kubectl 1.33.9', async () => {
    const { stdout } = await run(['version', '--client', '-o', 'json']);
    assert.equal((JSON.parse(stdout) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion, 'v1.33.9');
  });

  it('gets pods in all namespaces as JSON', async () => {
    const { code, stdout, stderr } = await run(['get', 'pods', '-A', '-o', 'json']);
    assert.equal(code, 0, stderr);
    const list = JSON.parse(stdout) as { items: { kind: string; metadata: { namespace: string } }[] };
    assert.deepEqual([...new Set(list.items.map((p) => p.metadata.namespace))].sort(), ['identity', 'istio-system', 'legacy', 'shop']);
    assert.ok(list.items.every((p) => p.kind === 'Pod'));
  });

  it('prints pods as the server-side Table kubectl asks for', async () => {
    const { code, stdout, stderr } = await run(['get', 'pods', '-n', 'shop']);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    assert.ok(lines.some((l) => new RegExp(`^${checkout}\\s+2/2\\s+Running\\s+0\\s+\\d+s$`).test(l)), stdout);
    assert.equal(lines.length, 1 + 7);
  });

  it('execs pilot-agent request in istio-proxy and gets server_info', async () => {
    const { code, stdout, stderr } = await run(['exec', '-n', 'shop', '-c', 'istio-proxy', checkout, '--', 'pilot-agent', 'request', 'GET', 'server_info']);
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { state: string }).state, 'LIVE');
  });

  it('passes a missing binary through as exit code 127', async () => {
    const { code, stderr } = await run(['exec', '-n', 'shop', '-c', 'istio-proxy', checkout, '--', 'curl', 'localhost:15000']);
    assert.equal(code, 127);
    assert.match(stderr, /exec: "curl": executable file not found in \$PATH/);
  });

  it('follows logs with kubectl logs -f until killed (access log on through a Telemetry resource)', async () => {
    standIn.model.setAccessLogTelemetry('shop', true);
    await run(['exec', '-n', 'shop', '-c', 'istio-proxy', checkout, '--', 'pilot-agent', 'request', 'POST', 'logging?level=debug']);
    const child = spawn(kubectl, ['--kubeconfig', standIn.kubeconfigPath, '--cache-dir', path.join(home, 'cache'), 'logs', '-f', '-n', 'shop', checkout, '-c', 'istio-proxy', '--tail=0'], {
      env: { ...process.env, HOME: home },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const schedule = standIn.model.identitySchedule('shop', checkout)!;
    try {
      // Real time runs here; a whole failing call takes one period.
      const deadline = Date.now() + schedule.periodMs * 2 + 3000;
      const wholeCall = () => out.indexOf('UF,URX', out.indexOf('connecting to ') + 1) > 0 && out.includes('connecting to ');
      while (!wholeCall() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      child.kill('SIGTERM');
    }
    assert.match(out, /\[Tags: "ConnectionId":"\d+"\] connecting to 52\.14\.3\.7:443/);
    assert.match(out, /\[Tags: "ConnectionId":"\d+"\] connect timeout/);
    assert.match(out, /"- - -" 0 UF,URX .* 0 0 1000 /);
    standIn.model.setAccessLogTelemetry('shop', false);
  });
});
