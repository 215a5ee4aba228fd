import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type StandIn, startStandIn } from '../../standin/index';
import { ensureKubectl } from '../../standin/kubectl';
import { STAND_IN_CAUSES, causeTarget } from '../../standin/logs/causeCalls';
import { CAUSES_NAMESPACE } from '../../standin/scenarios/causes';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli.js');
/** Virtual time the stand-in plays before the logs are read: a few calls of every pod. */
const HISTORY_MS = 45_000;

interface Reported {
  readonly file: string;
  readonly cause: string;
  readonly cluster: string | null;
  readonly explanation: string;
  readonly matches: readonly { readonly file: string }[];
}

/** A config dump's cluster: the test reads any field of it. */
type Json = Record<string, any>;

/** The setting behind each cause in the destination cluster's config, and the counter it moves. */
const BEHIND: Readonly<Partial<Record<(typeof STAND_IN_CAUSES)[number], { readonly config: (c: Json) => unknown; readonly expected: unknown; readonly stat: string }>>> = {
  'connect-timeout': { config: (c) => c.connect_timeout, expected: '1s', stat: 'upstream_cx_connect_timeout' },
  'connection-refused': { config: (c) => c.connect_timeout, expected: '10s', stat: 'upstream_cx_connect_fail' },
  'tls-failure': { config: (c) => c.transport_socket?.name, expected: 'envoy.transport_sockets.tls', stat: 'ssl.connection_error' },
  'no-healthy-upstream': { config: (c) => c.outlier_detection?.max_ejection_percent, expected: 100, stat: 'outlier_detection.ejections_active' },
  'circuit-breaker': { config: (c) => c.circuit_breakers?.thresholds?.[0]?.max_pending_requests, expected: 1, stat: 'upstream_rq_pending_overflow' },
  'idle-timeout': { config: (c) => c.common_http_protocol_options?.idle_timeout, expected: '3600s', stat: 'upstream_cx_destroy_remote_with_active_rq' },
  'max-duration': { config: (c) => c.common_http_protocol_options?.max_connection_duration, expected: '300s', stat: 'upstream_cx_max_duration_reached' },
  'upstream-reset': { config: (c) => c.connect_timeout, expected: '10s', stat: 'upstream_rq_rx_reset' },
  'upstream-connect-failure': { config: (c) => c.connect_timeout, expected: '10s', stat: 'upstream_cx_connect_fail' },
};

/*
 * The `causes` scenario as a user meets it: each cause pod's app and istio-proxy logs fetched by
 * the real kubectl (with the kubelet's timestamps, as the annotator reads live logs), then the real
 * CLI's `correlate --format json` over the two files. Every finding of a pod must carry its cause.
 */
describe('stand-in causes scenario through kubectl and mesh-doctor correlate', function () {
  this.timeout(240_000);
  let kubectl: string;
  let standIn: StandIn;
  let home: string;
  const pods = new Map<string, string>();

  function kubectlRun(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(kubectl, ['--kubeconfig', standIn.kubeconfigPath, '--cache-dir', path.join(home, 'cache'), ...args], { env: { ...process.env, HOME: home }, timeout: 30_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
      );
    });
  }

  function correlate(files: string[]): Promise<Reported[]> {
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [CLI, 'correlate', '--format', 'json', ...files], { timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`correlate: ${stderr || err.message}`)) : resolve((JSON.parse(stdout) as { resets: Reported[] }).resets),
      );
    });
  }

  before(async () => {
    kubectl = await ensureKubectl();
    standIn = await startStandIn({ scenario: 'causes', manualClock: true, startTime: Date.now() - HISTORY_MS });
    standIn.model.advance(HISTORY_MS);
    home = mkdtempSync(path.join(os.tmpdir(), 'standin-causes-'));
    const list = JSON.parse(await kubectlRun(['get', 'pods', '-n', CAUSES_NAMESPACE, '-o', 'json'])) as { items: { metadata: { name: string; labels: Record<string, string> } }[] };
    for (const item of list.items) pods.set(item.metadata.labels.app, item.metadata.name);
  });
  after(async () => {
    await standIn?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('has one pod per cause, named after it', () => {
    assert.deepEqual([...pods.keys()].sort(), [...STAND_IN_CAUSES].sort());
  });

  it('is built beside another scenario with withCauses, as the demo hosts it', async () => {
    const both = await startStandIn({ scenario: 'incident', withCauses: true, manualClock: true });
    try {
      assert.deepEqual([...both.model.mesh.namespaces.keys()].sort(), ['causes', 'identity', 'istio-system', 'legacy', 'shop']);
      assert.equal(both.model.mesh.listPods(CAUSES_NAMESPACE).length, STAND_IN_CAUSES.length);
      assert.equal(both.model.mesh.listPods('shop').length, 7, 'the incident keeps its own pods');
    } finally {
      await both.close();
    }
  });

  it('is served by `npm run sim -- --scenario causes`', async () => {
    const kubeconfig = path.join(home, 'sim.kubeconfig');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'out', 'test', 'standin', 'main.js'), '--scenario', 'causes', '--kubeconfig-out', kubeconfig]);
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      const deadline = Date.now() + 30_000;
      while (!/^ready$/m.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /^context standin-causes$/m);
      const names = await new Promise<string>((resolve, reject) =>
        execFile(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(home, 'sim-cache'), 'get', 'deployments', '-n', CAUSES_NAMESPACE, '-o', 'name'], { env: { ...process.env, HOME: home }, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout))),
      );
      assert.deepEqual(names.trim().split('\n').sort(), STAND_IN_CAUSES.map((c) => `deployment.apps/${c}`).sort());
    } finally {
      child.kill('SIGTERM');
    }
  });

  for (const cause of STAND_IN_CAUSES) {
    it(`explains every failure of the ${cause} pod as ${cause}`, async () => {
      const pod = pods.get(cause);
      assert.ok(pod, `no ${cause} pod`);
      const files: string[] = [];
      for (const container of [cause, 'istio-proxy']) {
        const file = path.join(home, `${pod}-${container}.log`);
        writeFileSync(file, await kubectlRun(['logs', '-n', CAUSES_NAMESPACE, pod, '-c', container, '--timestamps']));
        files.push(file);
      }
      const resets = await correlate(files);
      // proxy-shutdown happens once; every other pod fails every 10 s.
      assert.ok(resets.length >= (cause === 'proxy-shutdown' ? 1 : 3), `${cause}: ${resets.length} findings`);
      const wrong = resets.filter((r) => r.cause !== cause).map((r) => `${r.cause}: ${r.explanation}`);
      assert.deepEqual(wrong, [], `${cause}: findings with another cause`);
      assert.ok(resets.every((r) => path.basename(r.file) === `${pod}-${cause}.log`), 'a finding outside the app log');
      // Explained by the sidecar's own lines, not by the app's words alone.
      assert.ok(resets.every((r) => r.matches.some((m) => path.basename(m.file) === `${pod}-istio-proxy.log`)), `${cause}: a finding without an istio-proxy line`);
      const cluster = causeTarget(cause).cluster;
      if (!['no-route', 'max-duration', 'proxy-shutdown', 'downstream-closed'].includes(cause)) assert.ok(resets.every((r) => r.cluster === cluster), `${cause}: clusters ${resets.map((r) => r.cluster).join(', ')}`);
    });
  }

  for (const [cause, behind] of Object.entries(BEHIND)) {
    it(`shows the ${cause} pod's destination cluster with its setting and a counter that rises with each failure, through its Envoy admin`, async () => {
      const pod = pods.get(cause)!;
      const cluster = causeTarget(cause as (typeof STAND_IN_CAUSES)[number]).cluster;
      const admin = (request: string) => kubectlRun(['exec', '-n', CAUSES_NAMESPACE, pod, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'GET', request]);
      const dump = JSON.parse(await admin('config_dump?resource=dynamic_active_clusters')) as { configs: { cluster: Json }[] };
      const config = dump.configs.map((c) => c.cluster).find((c) => c.name === cluster);
      assert.ok(config, `${cluster} is not in the config dump`);
      assert.equal(behind.config(config), behind.expected);
      const stat = `cluster.${cluster}.${behind.stat}`;
      const value = async () => {
        const line = (await admin(`stats?filter=${encodeURIComponent(`^${stat.replace(/[|.]/g, (c) => `\\${c}`)}$`)}`)).trim();
        assert.match(line, /^[^:]+: \d+$/, `stats answered ${JSON.stringify(line)}`);
        return Number(line.split(': ')[1]);
      };
      const before = await value();
      assert.ok(before > 0, `${stat} is ${before}`);
      standIn.model.advance(20_000);
      const after = await value();
      if (cause === 'no-healthy-upstream') assert.equal(after, 2, 'both endpoints stay ejected');
      else assert.ok(after > before, `${stat} went from ${before} to ${after}`);
    });
  }
});
