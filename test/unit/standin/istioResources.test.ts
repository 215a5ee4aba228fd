import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { handleEnvoyAdmin } from '../../standin/envoy/admin';
import { IDENTITY_CLUSTER } from '../../standin/envoy/clusters';
import { type StandIn, startStandIn } from '../../standin/index';
import { ensureKubectl } from '../../standin/kubectl';
import { ISTIO_PUSH_DELAY_MS, ISTIO_PUSH_SPREAD_MS } from '../../standin/model/meshModel';

const run = promisify(execFile);

/** The fixed DestinationRule for the incident's host (Istio's documented TCPSettings.connectTimeout). */
const FIXED_RULE = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'idp', namespace: 'shop' }, spec: { host: 'idp.example.com', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '10s' } } } } };

describe('stand-in Istio config changes over time', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  const T0 = Date.parse('2026-03-01T10:00:00Z');
  const checkoutPods = () => standIn.model.mesh.listPods('shop').filter((p) => p.name.startsWith('checkout-'));
  /** The identity cluster as the pod's Envoy shows it now: its connect_timeout and the hosts' cx_connect_fail. */
  const identity = (pod: string) => {
    const proxy = standIn.model.mesh.runtime(standIn.model.mesh.requirePod('shop', pod)).proxy!;
    const now = standIn.model.now();
    const dump = JSON.parse(handleEnvoyAdmin(proxy, 'GET', '/config_dump?resource=dynamic_active_clusters', now).body) as { configs: { cluster: { name: string; connect_timeout: string } }[] };
    const clusters = JSON.parse(handleEnvoyAdmin(proxy, 'GET', '/clusters?format=json', now).body) as { cluster_statuses: { name: string; host_statuses: { stats: { name: string; value?: string }[] }[] }[] };
    const status = clusters.cluster_statuses.find((c) => c.name === IDENTITY_CLUSTER)!;
    return {
      connectTimeout: dump.configs.find((c) => c.cluster.name === IDENTITY_CLUSTER)!.cluster.connect_timeout,
      failures: Number(status.host_statuses[0]!.stats.find((s) => s.name === 'cx_connect_fail')?.value ?? 0),
    };
  };
  const resets = (pod: string) => standIn.model.mesh.runtime(standIn.model.mesh.requirePod('shop', pod)).log('checkout').current.select(null, null).filter((e) => e.text.includes('Connection reset')).length;

  beforeEach(async () => {
    standIn = await startStandIn({ scenario: 'incident', manualClock: true, startTime: T0 });
    standIn.model.advance(30_000);
  });
  afterEach(() => standIn.close());

  it('a fixed DestinationRule reaches each sidecar after its own push delay; then connect timeouts and resets stop', () => {
    const pods = checkoutPods().map((p) => p.name);
    const before = pods.map(identity);
    assert.ok(before.every((b) => b.connectTimeout === '1s' && b.failures > 0));
    standIn.model.applyDestinationRule('shop', FIXED_RULE);
    assert.deepEqual(pods.map((p) => identity(p).connectTimeout), ['1s', '1s', '1s'], 'not before istiod pushed');
    standIn.model.advance(ISTIO_PUSH_DELAY_MS + ISTIO_PUSH_SPREAD_MS);
    assert.deepEqual(pods.map((p) => identity(p).connectTimeout), ['10s', '10s', '10s']);
    const atFix = pods.map((p) => ({ failures: identity(p).failures, resets: resets(p) }));
    standIn.model.advance(60_000);
    assert.deepEqual(pods.map((p) => ({ failures: identity(p).failures, resets: resets(p) })), atFix);
    // The rule is for the host, not for one workload: every sidecar in the mesh that has the cluster gets it.
    const frontend = standIn.model.mesh.listPods('shop').find((p) => p.name.startsWith('frontend-'))!.name;
    assert.equal(identity(frontend).connectTimeout, '10s');
  });

  it('a restarted Envoy and a new replica start with the fixed value; deleting the rule brings the 1 s back', () => {
    standIn.model.applyDestinationRule('shop', FIXED_RULE);
    standIn.model.advance(10_000);
    const [first] = checkoutPods();
    standIn.model.restartPod('shop', first!.name, 'istio-proxy');
    assert.equal(identity(first!.name).connectTimeout, '10s');
    standIn.model.addPod({ namespace: 'shop', name: 'checkout-new', labels: { app: 'checkout' }, sidecar: { istioVersion: '1.22.3', identityConnectTimeout: '1s', incident: true } });
    standIn.model.advance(20_000);
    assert.equal(identity('checkout-new').connectTimeout, '10s');
    assert.equal(resets('checkout-new'), 0);
    standIn.model.mesh.changeIstioConfig((s) => s.deleteDestinationRule('shop', 'idp'));
    standIn.model.advance(ISTIO_PUSH_DELAY_MS + ISTIO_PUSH_SPREAD_MS);
    assert.equal(identity('checkout-new').connectTimeout, '1s');
  });

  it('the mesh config connectTimeout applies where no DestinationRule sets one; a rule wins over it', () => {
    standIn.model.applyMeshConfig('connectTimeout: 15s\n');
    standIn.model.advance(ISTIO_PUSH_DELAY_MS + ISTIO_PUSH_SPREAD_MS);
    const [pod] = checkoutPods();
    assert.equal(identity(pod!.name).connectTimeout, '15s');
    standIn.model.applyDestinationRule('shop', FIXED_RULE);
    standIn.model.advance(ISTIO_PUSH_DELAY_MS + ISTIO_PUSH_SPREAD_MS);
    assert.equal(identity(pod!.name).connectTimeout, '10s');
  });

  it('kubectl apply creates and configures the DestinationRule; kubectl get reads it back; a bad duration is refused', async () => {
    const kubectl = await ensureKubectl();
    const dir = mkdtempSync(path.join(tmpdir(), 'standin-dr-'));
    try {
      const env = { ...process.env, KUBECONFIG: standIn.kubeconfigPath };
      const file = path.join(dir, 'dr.yaml');
      writeFileSync(file, JSON.stringify(FIXED_RULE));
      // --validate=false: the stand-in serves no OpenAPI documents (see README, Known gaps).
      assert.match((await run(kubectl, ['apply', '--validate=false', '-f', file], { env })).stdout, /destinationrule\.networking\.istio\.io\/idp created/);
      writeFileSync(file, JSON.stringify({ ...FIXED_RULE, spec: { ...FIXED_RULE.spec, trafficPolicy: { connectionPool: { tcp: { connectTimeout: '12s' } } } } }));
      assert.match((await run(kubectl, ['apply', '--validate=false', '-f', file], { env })).stdout, /configured/);
      const got = JSON.parse((await run(kubectl, ['get', 'destinationrule', 'idp', '-n', 'shop', '-o', 'json'], { env })).stdout) as { spec: typeof FIXED_RULE.spec };
      assert.equal(got.spec.trafficPolicy.connectionPool.tcp.connectTimeout, '12s');
      writeFileSync(file, JSON.stringify({ ...FIXED_RULE, spec: { ...FIXED_RULE.spec, trafficPolicy: { connectionPool: { tcp: { connectTimeout: 'soon' } } } } }));
      await assert.rejects(run(kubectl, ['apply', '--validate=false', '-f', file], { env }), /connectTimeout: Invalid value/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
