/**
 * A mesh-wide terminationDrainDuration against the grace period of each workload that gets a
 * sidecar, across files. Mesh configs in three layouts the linter reads (IstioOperator
 * `spec.meshConfig`, istiod Helm values, the `istio` ConfigMap's `data.mesh`), in the shape of
 * Istio's ProxyConfig docs (istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/ :
 * `meshConfig.defaultConfig.terminationDrainDuration`); Deployments as `kubectl create deployment`
 * writes them, with `sidecar.istio.io/inject` as Istio's injection docs label pods.
 */
import * as assert from 'node:assert/strict';
import { crossFileFindings, lintManifest, type FileFacts } from '../../../../src/core/lint';
import { span } from './fixtures';

/** As the CLI's second pass reads files: workloads and Services too (see skippedWorkloads). */
const facts = (file: string, text: string): FileFacts => ({ file, facts: lintManifest(text, { minimumSeconds: 10, readWorkloads: true }).facts });

const OPERATOR = `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  namespace: istio-system
  name: control-plane
spec:
  meshConfig:
    defaultConfig:
      holdApplicationUntilProxyStarts: true
      terminationDrainDuration: 45s
`;
const HELM_VALUES = `meshConfig:
  defaultConfig:
    holdApplicationUntilProxyStarts: true
    terminationDrainDuration: "30s"
pilot:
  autoscaleEnabled: false
`;
const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    defaultConfig:
      holdApplicationUntilProxyStarts: true
      terminationDrainDuration: 60s
`;
const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
`;

function deployment(name: string, opts: { grace?: string; podLabels?: string[]; annotations?: string[] } = {}): string {
  return [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, '  namespace: shop', 'spec:', '  replicas: 2',
    '  selector:', '    matchLabels:', `      app: ${name}`, '  template:', '    metadata:', '      labels:', `        app: ${name}`,
    ...(opts.podLabels ?? []).map((l) => `        ${l}`),
    ...(opts.annotations === undefined ? [] : ['      annotations:', ...opts.annotations.map((a) => `        ${a}`)]),
    '    spec:',
    ...(opts.grace === undefined ? [] : [`      terminationGracePeriodSeconds: ${opts.grace}`]),
    '      containers:', `      - name: ${name}`, `        image: registry.example.com/${name}:1.4.2`, '',
  ].join('\n');
}

describe('mesh-wide drain against each workload\'s grace period (drain-exceeds-grace, across files)', () => {
  it('flags a Deployment in an injected namespace whose default 30 s grace is below the IstioOperator drain, at its pod spec, naming the mesh file', () => {
    const found = crossFileFindings([facts('istio/operator.yaml', OPERATOR), facts('apps/ns.yaml', NAMESPACE), facts('apps/cart.yaml', deployment('cart'))]);
    const drain = found.filter((f) => f.finding.code === 'drain-exceeds-grace');
    assert.equal(drain.length, 1);
    assert.equal(drain[0].file, 'apps/cart.yaml');
    assert.deepEqual(span(drain[0].finding.range), [14, 4, 14, 8], 'the pod template\'s spec key');
    assert.equal(drain[0].finding.path, 'spec.template.spec');
    assert.match(drain[0].finding.message, /istio\/operator\.yaml:10.*terminationDrainDuration 45s.*default terminationGracePeriodSeconds of 30 of Deployment shop\/cart.*killed mid-drain.*every rollout/s);
    assert.deepEqual(drain[0].finding.related?.map((r) => [r.file, span(r.range)]), [['istio/operator.yaml', [9, 32, 9, 35]]]);
  });

  it('reads the drain from Helm values and the istio ConfigMap, and compares it with a written grace period', () => {
    const helm = crossFileFindings([facts('charts/istiod/values.yaml', HELM_VALUES), facts('charts/app.yaml', deployment('api', { grace: '30', podLabels: ['sidecar.istio.io/inject: "true"'] }))]);
    assert.deepEqual(helm.map((f) => [f.file, f.finding.code, f.finding.range.start.line]), [['charts/app.yaml', 'drain-exceeds-grace', 16]], 'at or above: 30s drain, 30 s grace');
    assert.match(helm[0].finding.message, /terminationGracePeriodSeconds: 30 of Deployment shop\/api/);
    const configMap = crossFileFindings([facts('mesh.yaml', CONFIGMAP), facts('apps/ns.yaml', NAMESPACE), facts('apps/api.yaml', deployment('api', { grace: '45' }))]);
    assert.equal(configMap.length, 1);
    assert.deepEqual(configMap[0].finding.related?.map((r) => [r.file, span(r.range)]), [['mesh.yaml', [9, 32, 9, 35]]], 'the value inside data.mesh, mapped to the file');
  });

  it('says nothing when the grace period is longer, the pod has no sidecar, sets its own drain, or the grace is templated', () => {
    const mesh = facts('istio/operator.yaml', OPERATOR);
    const ns = facts('apps/ns.yaml', NAMESPACE);
    const quiet = [
      deployment('long', { grace: '60' }),
      deployment('opted-out', { podLabels: ['sidecar.istio.io/inject: "false"'] }),
      deployment('own-drain', { annotations: ['proxy.istio.io/config: |', '  terminationDrainDuration: 5s'] }),
      deployment('templated', { grace: '{{ .Values.grace }}' }),
    ];
    for (const text of quiet) {
      assert.deepEqual(crossFileFindings([mesh, ns, facts('apps/x.yaml', text)]).map((f) => f.finding.code), [], text.split('\n')[3]);
    }
  });

  it('skips a plain Deployment\'s parse unless asked for workloads, so application YAML stays a substring scan', () => {
    const plain = deployment('cart');
    const first = lintManifest(plain, { minimumSeconds: 10 });
    assert.deepEqual(first.facts.workloads, []);
    assert.equal(first.skippedWorkloads, true, 'the caller is told to read it again when a cross-file rule needs it');
    assert.equal(lintManifest(OPERATOR, { minimumSeconds: 10 }).skippedWorkloads, false);
    const again = lintManifest(plain, { minimumSeconds: 10, readWorkloads: true });
    assert.equal(again.facts.workloads.length, 1);
    assert.equal(again.skippedWorkloads, false);
  });

  it('skips workloads and Services that mention Istio but yield only facts (a sidecar.istio.io annotation, a Service beside them), not those a rule reads', () => {
    // An application's bundle: the pod annotation matches the istio.io pre-check, the ConfigMap's connectTimeout is the app's own.
    const app = [
      deployment('cart', { annotations: ['sidecar.istio.io/logLevel: warning'] }),
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n  namespace: shop\nspec:\n  selector: {app: cart}\n  ports:\n  - {name: http, port: 80}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cart-config\n  namespace: shop\ndata:\n  application.yaml: |\n    http: {connectTimeout: 1s}\n',
    ].join('---\n');
    const first = lintManifest(app, { minimumSeconds: 10 });
    assert.deepEqual([first.facts.workloads.length, first.facts.services.length, first.findings.length, first.skippedWorkloads], [0, 0, 0, true]);
    const again = lintManifest(app, { minimumSeconds: 10, readWorkloads: true });
    assert.deepEqual([again.facts.workloads.length, again.facts.services.length, again.findings.length], [1, 1, 0]);
    // Its own proxy.istio.io/config makes a workload's document worth parsing at once, facts and all.
    const own = lintManifest(deployment('cart', { annotations: ['proxy.istio.io/config: "connectTimeout: 1s"'] }), { minimumSeconds: 10 });
    assert.deepEqual([own.facts.workloads.length, own.findings.map((f) => f.code), own.skippedWorkloads], [1, ['connect-timeout-ignored-field'], false]);
    // A List of plain Deployments beside Istio config is left for the second read too.
    const list = `${OPERATOR}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: cart, namespace: shop}\n  spec: {template: {spec: {containers: []}}}\n`;
    assert.equal(lintManifest(list, { minimumSeconds: 10 }).skippedWorkloads, true);
    assert.equal(lintManifest(list, { minimumSeconds: 10, readWorkloads: true }).facts.workloads.length, 1);
  });

  it('needs evidence of a sidecar: a namespace not in the workspace and no inject label is not judged', () => {
    assert.deepEqual(crossFileFindings([facts('istio/operator.yaml', OPERATOR), facts('apps/cart.yaml', deployment('cart'))]), []);
  });

  it('does not join a mesh config with workloads of an unrelated folder, and can be disabled', () => {
    const files = [facts('istioctl/testdata/operator.yaml', OPERATOR), facts('samples/ns.yaml', NAMESPACE), facts('samples/cart/cart.yaml', deployment('cart'))];
    assert.deepEqual(crossFileFindings(files), []);
    const related = [facts('istio/operator.yaml', OPERATOR), facts('apps/ns.yaml', NAMESPACE), facts('apps/cart.yaml', deployment('cart'))];
    assert.deepEqual(crossFileFindings(related, new Set(['drain-exceeds-grace'])), []);
  });
});

describe('mTLS conflicts join only files of one configuration', () => {
  // PeerAuthentication and DestinationRule as istio.io's "Mutual TLS Migration" task writes them.
  const strict = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n';
  const disable = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: httpbin\n  namespace: foo\nspec:\n  host: httpbin.foo.svc.cluster.local\n' +
    '  trafficPolicy:\n    tls:\n      mode: DISABLE\n';

  it('reports a DISABLE rule under a mesh-wide STRICT policy of its configuration, not one of an unrelated test folder', () => {
    const codes = (files: FileFacts[]): string[] => crossFileFindings(files).map((f) => f.finding.code);
    assert.deepEqual(codes([facts('istio/peer.yaml', strict), facts('apps/httpbin-dr.yaml', disable)]), ['mtls-disabled-under-strict']);
    assert.deepEqual(codes([facts('security/testdata/peer.yaml', strict), facts('networking/testdata/httpbin-dr.yaml', disable)]), []);
  });
});
