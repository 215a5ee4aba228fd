import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { run } from '../../../src/cli/lint';
import { FINDING_CODES } from '../../../src/core/lint';
import { pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/lint');

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function lint(argv: string[], cwd = REPO_ROOT): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

async function cli(argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: REPO_ROOT });
  return { code, stdout, stderr };
}

/** A scratch folder with the given files, removed after the test. */
function scratch(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-lint-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const LOW_RULE = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: idp}\nspec:\n  host: idp\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n';

describe('mesh-doctor lint', () => {
  it('prints file:line:col severity message for every finding in a folder, with precedence notes', async () => {
    const { code, stdout, stderr } = await lint(['test/fixtures/lint']);
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\n');
    const locations = lines.filter((l) => !l.startsWith('  ')).map((l) => l.split(' ').slice(0, 2).join(' '));
    assert.deepEqual(locations, [
      'test/fixtures/lint/envoy-filter.yaml:32:26 warning',
      'test/fixtures/lint/idp-destination-rule.yaml:27:25 warning',
      'test/fixtures/lint/istio-operator.yaml:12:21 warning',
      'test/fixtures/lint/istiod-values.yaml:6:19 warning',
      'test/fixtures/lint/istiod-values.yaml:4:1 information',
      'test/fixtures/lint/mesh-configmap.yaml:10:21 warning',
      'test/fixtures/lint/mesh-configmap.yaml:13:23 information',
      'test/fixtures/lint/mesh-configmap.yaml:8:3 information',
      'test/fixtures/lint/sidecar.yaml:12:23 warning',
      'test/fixtures/lint/sidecar.yaml:21:25 warning',
    ]);
    const operator = lines.findIndex((l) => l.startsWith('test/fixtures/lint/istio-operator.yaml'));
    assert.match(lines[operator], /connectTimeout 1s is below the 10s minimum\. .*Connection reset.* \[connect-timeout-low\]$/);
    assert.deepEqual(lines.slice(operator + 1, operator + 3), [
      '  note: overridden by DestinationRule payments/idp for idp.example.com (1s at test/fixtures/lint/idp-destination-rule.yaml:27:25)',
      '  note: overridden by DestinationRule payments/ledger for ledger ("15s" at test/fixtures/lint/ledger-destination-rule.yaml:11:29)',
    ]);
    assert.equal(stderr, '10 findings (7 warning, 3 information) in 8 files\n');
  });

  it('writes JSON findings with 1-based positions, the value as written and the overriding rules', async () => {
    const { code, stdout } = await lint(['--format', 'json', 'test/fixtures/lint/istio-operator.yaml', 'test/fixtures/lint/idp-destination-rule.yaml']);
    assert.equal(code, 1);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    assert.equal(rows.length, 2);
    const operator = rows.find((r) => r.file === 'test/fixtures/lint/istio-operator.yaml');
    assert.ok(operator);
    assert.deepEqual(
      [operator.line, operator.column, operator.endLine, operator.endColumn, operator.severity, operator.code, operator.value, operator.seconds],
      [12, 21, 12, 23, 'warning', 'connect-timeout-low', '1s', 1],
    );
    assert.match(String(operator.message), /TLS handshake/);
    assert.deepEqual(operator.overriddenBy, [
      { file: 'test/fixtures/lint/idp-destination-rule.yaml', line: 27, column: 25, resource: { kind: 'DestinationRule', name: 'idp', namespace: 'payments' }, host: 'idp.example.com', appliedFrom: null, value: '1s', seconds: 1 },
    ]);
  });

  it('reports a mesh-wide drain at each injected Deployment of the tree whose grace period it reaches, in JSON and SARIF, with the mesh file related', async () => {
    const dir = scratch({
      // The IstioOperator shape of istio.io's ProxyConfig docs; the Deployment has no Istio text at all (read in the second pass).
      'istio/operator.yaml': 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: cp, namespace: istio-system}\nspec:\n  meshConfig:\n' +
        '    defaultConfig:\n      holdApplicationUntilProxyStarts: true\n      terminationDrainDuration: 45s\n',
      'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n',
      'apps/cart.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: cart, namespace: shop}\nspec:\n  selector: {matchLabels: {app: cart}}\n  template:\n' +
        '    metadata: {labels: {app: cart}}\n    spec:\n      terminationGracePeriodSeconds: 40\n      containers: [{name: cart, image: cart:1}]\n',
      'apps/slow.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: slow, namespace: shop}\nspec:\n  selector: {matchLabels: {app: slow}}\n  template:\n' +
        '    metadata: {labels: {app: slow}}\n    spec:\n      terminationGracePeriodSeconds: 90\n      containers: [{name: slow, image: slow:1}]\n',
    });
    const { code, stdout } = await lint(['--format', 'json', '.'], dir);
    assert.equal(code, 1);
    const rows = (JSON.parse(stdout) as { file: string; line: number; column: number; code: string; related: { file: string; line: number }[] }[]).filter((r) => r.code === 'drain-exceeds-grace');
    assert.deepEqual(rows.map((r) => [r.file, r.line, r.column]), [[path.join('apps', 'cart.yaml'), 9, 38]]);
    assert.deepEqual(rows[0].related.map((r) => [r.file, r.line]), [[path.join('istio', 'operator.yaml'), 8]]);
    const sarif = JSON.parse((await lint(['--format', 'sarif', '.'], dir)).stdout) as { runs: Record<string, any>[] };
    const result = (sarif.runs[0].results as Record<string, any>[]).find((r) => r.ruleId === 'drain-exceeds-grace');
    assert.ok(result);
    assert.ok(String(sarif.runs[0].tool.driver.rules[result.ruleIndex].helpUri).startsWith('https://istio.io/'));
    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, 'istio/operator.yaml');
    assert.equal((await lint(['--format', 'json', '--disable', 'drain-exceeds-grace', '.'], dir)).stdout.includes('drain-exceeds-grace'), false);
  });

  it("points every template of a chart, in any folder of it, at the values.yaml line its connect timeout comes from", async () => {
    const rule = (name: string): string =>
      `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}}\nspec:\n  host: ${name}\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: {{ .Values.upstream.timeout }}\n`;
    const dir = scratch({
      'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
      'chart/values.yaml': 'upstream:\n  timeout: 1s\n',
      'chart/templates/a.yaml': rule('a'),
      'chart/templates/b.yaml': rule('b'),
      'chart/templates/extra/c.yaml': rule('c'),
      'chart/root.yaml': rule('root'),
    });
    const rows = JSON.parse((await lint(['--format', 'json', '.'], dir)).stdout) as { file: string; line: number; code: string }[];
    const low = rows.filter((r) => r.code === 'connect-timeout-low');
    // One finding on the values line, however many templates use it (see dedupe), and none lost for the template beside values.yaml.
    assert.deepEqual([...new Set(low.map((r) => `${r.file}:${r.line}`))], [`${path.join('chart', 'values.yaml')}:2`]);
  });

  it('says for which client namespaces an exportTo-scoped DestinationRule overrides the mesh value', async () => {
    const dir = scratch({
      'istio/values.yaml': 'meshConfig:\n  connectTimeout: 2s\n  defaultConfig:\n    holdApplicationUntilProxyStarts: true\n',
      'apps/reviews.yaml': 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: bookinfo}\nspec:\n  host: reviews\n  exportTo: ["."]\n' +
        '  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 12s}}}\n',
    });
    const { stdout } = await lint(['.'], dir);
    assert.match(stdout, /note: overridden by DestinationRule bookinfo\/reviews for reviews \(for clients in namespace bookinfo only\)/);
    const [row] = JSON.parse((await lint(['--format', 'json', '.'], dir)).stdout) as { overriddenBy: { appliedFrom: string[] }[] }[];
    assert.deepEqual(row.overriddenBy[0].appliedFrom, ['bookinfo']);
  });

  it('names, for each mesh config, the overriding DestinationRules of its own configuration only, also when mesh configs share one', async () => {
    const mesh = 'meshConfig:\n  connectTimeout: 2s\n  defaultConfig:\n    holdApplicationUntilProxyStarts: true\n';
    const rule = (name: string): string => LOW_RULE.replace('{name: idp}', `{name: ${name}, namespace: shop}`).replace('host: idp', `host: ${name}`).replace('1s', '12s');
    const dir = scratch({
      'prod/istio/values.yaml': mesh,
      'prod/istio-canary/values.yaml': mesh,
      'prod/apps/cart.yaml': rule('cart'),
      'dev/istio/values.yaml': mesh,
      'dev/apps/pay.yaml': rule('pay'),
    });
    const rows = JSON.parse((await lint(['--format', 'json', '.'], dir)).stdout) as { file: string; code: string; overriddenBy: { file: string }[] }[];
    const overrides = rows.filter((r) => r.code === 'connect-timeout-low').map((r) => [r.file, r.overriddenBy.map((o) => o.file)]);
    assert.deepEqual(overrides, [
      [path.join('dev', 'istio', 'values.yaml'), [path.join('dev', 'apps', 'pay.yaml')]],
      [path.join('prod', 'istio', 'values.yaml'), [path.join('prod', 'apps', 'cart.yaml')]],
      [path.join('prod', 'istio-canary', 'values.yaml'), [path.join('prod', 'apps', 'cart.yaml')]],
    ]);
  });

  it('writes SARIF 2.1.0 with rules, regions and fixes', async () => {
    const { stdout } = await lint(['--format', 'sarif', 'test/fixtures/lint/envoy-filter.yaml']);
    const sarif = JSON.parse(stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; helpUri: string }[] } }; results: Record<string, any>[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const [runLog] = sarif.runs;
    assert.equal(runLog.tool.driver.name, 'mesh-doctor');
    assert.ok(runLog.tool.driver.rules.every((r) => r.helpUri.startsWith('https://')));
    const [result] = runLog.results;
    assert.equal(result.ruleId, 'connect-timeout-low');
    assert.equal(runLog.tool.driver.rules[result.ruleIndex].id, 'connect-timeout-low');
    assert.equal(result.level, 'warning');
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'test/fixtures/lint/envoy-filter.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 32, startColumn: 26, endLine: 32, endColumn: 34 },
    });
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '"10s"');
  });

  it('writes complete SARIF: a base URI for relative paths, every rule described with help, unchecked files as notifications', async () => {
    const dir = scratch({ 'my dr #1.yaml': LOW_RULE, 'image.yaml': Buffer.from([0, 0x63, 0x6f, 0x6e, 0x6e, 0x65, 0x63, 0x74, 0x54, 0x69, 0x6d, 0x65, 0x6f, 0x75, 0x74]) });
    const { code, stdout } = await lint(['--format', 'sarif', '.'], dir);
    assert.equal(code, 1);
    const runLog = (JSON.parse(stdout) as { runs: Record<string, any>[] }).runs[0];
    assert.equal(runLog.originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(dir).href}/`);
    assert.equal(runLog.results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20dr%20%231.yaml');
    const rules = runLog.tool.driver.rules as { id: string; fullDescription: { text: string }; help: { text: string }; helpUri: string }[];
    assert.deepEqual(rules.map((r) => r.id), [...FINDING_CODES]);
    for (const rule of rules) assert.ok(rule.fullDescription.text.length > 20 && rule.help.text.length > 20 && rule.helpUri.startsWith('https://'), rule.id);
    const [notification] = runLog.invocations[0].toolExecutionNotifications as Record<string, any>[];
    assert.equal(notification.locations[0].physicalLocation.artifactLocation.uri, 'image.yaml');
    assert.match(notification.message.text, /NUL bytes/);
    const json = JSON.parse((await lint(['--format', 'json', '.'], dir)).stdout) as { file: string; code: string }[];
    assert.deepEqual(json.map((r) => [r.file, r.code]), [['my dr #1.yaml', 'connect-timeout-low'], ['image.yaml', 'unreadable-file']]);
  });

  it('exits by --fail-on and --minimum', async () => {
    const legacy = path.join(FIXTURES, 'mesh-configmap.yaml');
    assert.equal((await lint(['--fail-on', 'error', 'test/fixtures/lint'])).code, 0);
    assert.equal((await lint(['--minimum', '1s', legacy])).code, 0, 'only the information finding remains');
    assert.equal((await lint(['--minimum', '1s', '--fail-on', 'information', legacy])).code, 1);
    assert.equal((await lint(['--minimum', '1500ms', legacy])).stdout.includes('below the 1.5s minimum'), false);
    assert.equal((await lint(['test/fixtures/lint/ledger-destination-rule.yaml', 'test/fixtures/lint/app-configmap.yaml'])).code, 0);
  });

  it('walks folders for .yaml and .yml, skipping node_modules, .git and other files', async () => {
    const dir = scratch({
      'a/rule.yml': LOW_RULE,
      'b/rule.YAML': LOW_RULE,
      'node_modules/pkg/rule.yaml': LOW_RULE,
      '.git/rule.yaml': LOW_RULE,
      'notes.txt': LOW_RULE,
    });
    const { stdout } = await lint(['--format', 'json', '.'], dir);
    const files = (JSON.parse(stdout) as { file: string }[]).map((r) => r.file);
    assert.deepEqual(files, [path.join('a', 'rule.yml'), path.join('b', 'rule.YAML')]);
  });

  it('exits 2 on bad usage, naming what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'xml', 'x.yaml'], /--format "xml": expected one of text, json, sarif/],
      [['--fail-on', 'never', 'x.yaml'], /--fail-on "never": expected one of error, warning, information/],
      [['--minimum', '10', 'x.yaml'], /--minimum "10": missing unit in duration "10"/],
      [['--minimum', '0s', 'x.yaml'], /must be more than 0s/],
      [['--frobnicate', 'x.yaml'], /Unknown option '--frobnicate'/],
      [[], /no PATH given/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr, stdout } = await lint(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(stderr, message);
      assert.match(stderr, /Usage|mesh-doctor lint \[--format/);
      assert.equal(stdout, '');
    }
  });

  it('exits 3 when a path cannot be read, saying which and why, after checking the others; findings win over it', async () => {
    const missing = await lint(['--format', 'json', 'missing.yaml', 'test/fixtures/lint/idp-destination-rule.yaml']);
    assert.equal(missing.code, 1, 'a finding at --fail-on decides the exit code');
    assert.match(missing.stderr, /cannot read missing\.yaml: no such file or directory\. Check the path and its permissions\./);
    assert.deepEqual((JSON.parse(missing.stdout) as { file: string; code: string }[]).map((r) => [r.file, r.code]),
      [['test/fixtures/lint/idp-destination-rule.yaml', 'connect-timeout-low'], ['missing.yaml', 'unreadable-file']]);
    const quiet = await lint(['--fail-on', 'error', 'missing.yaml', 'test/fixtures/lint/idp-destination-rule.yaml']);
    assert.equal(quiet.code, 3, 'nothing to fail on, but an input was not checked');
    assert.match(quiet.stderr, /1 input not checked/);
    assert.equal((await lint(['--allow-unchecked', '--fail-on', 'error', 'missing.yaml', 'test/fixtures/lint/idp-destination-rule.yaml'])).code, 0);
  });

  it('reports a file that does not parse once, as an unreadable-file finding, binary files on stderr, and exits 3 for them unless --allow-unchecked', async () => {
    const dir = scratch({ 'broken.yaml': LOW_RULE.replace('1s}}}', '1s'), 'image.yaml': Buffer.from([0, 1, 2, 0x63, 0x6f, 0x6e, 0x6e, 0x65, 0x63, 0x74, 0x69, 0x6d, 0x65, 0x6f, 0x75, 0x74]) });
    const { code, stdout, stderr } = await lint(['.'], dir);
    assert.equal(code, 3);
    assert.match(stdout, /^broken\.yaml:1:1 information .*YAML does not parse here.*\[unreadable-file\]$/m);
    assert.doesNotMatch(stderr, /broken\.yaml/);
    assert.match(stderr, /^image\.yaml:1:1 warning File contains NUL bytes/m);
    assert.match(stderr, /1 finding \(1 information\) in 2 files; 2 inputs not checked/);
    assert.equal((await lint(['--allow-unchecked', '.'], dir)).code, 0);
  });

  it('reports a ConfigMap that does not parse only when it can be the mesh config: an application ConfigMap holds no key a rule reads', async () => {
    // The app's own connectTimeout (Spring, Envoy-less clients) sits in a ConfigMap no rule reads: its broken YAML is the app's business.
    const app = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cart-config\n  namespace: shop\ndata:\n  application.yaml: |\n    connectTimeout: 1s\n  broken: [1s\n';
    const mesh = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n  mesh: |-\n    connectTimeout: 1s\n  broken: [1s\n';
    const dir = scratch({ 'apps/cart.yaml': app, 'istio/mesh.yaml': mesh });
    const { code, stdout } = await lint(['--format', 'json', '.'], dir);
    assert.equal(code, 3, 'the mesh ConfigMap could not be checked');
    assert.deepEqual((JSON.parse(stdout) as { file: string; code: string }[]).map((r) => [r.file, r.code]), [[path.join('istio', 'mesh.yaml'), 'unreadable-file']]);
    assert.equal((await lint(['apps/cart.yaml'], dir)).code, 0, 'nothing in the application ConfigMap is unchecked');
  });

  it('reads the workloads and Services of application files again only when a cross-file rule needs them', async () => {
    // An application's bundle as charts render it: a pod annotation and a Service, and the app's own connectTimeout.
    const app = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: httpbin\n  namespace: foo\nspec:\n  template:\n    metadata:\n' +
      '      labels: {app: httpbin, sidecar.istio.io/inject: "false"}\n      annotations: {sidecar.istio.io/logLevel: warning}\n    spec:\n      containers: [{name: httpbin, image: kennethreitz/httpbin}]\n' +
      '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: httpbin\n  namespace: foo\nspec:\n  selector: {app: httpbin}\n  ports: [{name: http, port: 8000}]\n' +
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: httpbin-config\n  namespace: foo\ndata:\n  app.yaml: "connectTimeout: 1s"\n';
    const rule = (mode: string): string => 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: httpbin\n  namespace: foo\nspec:\n' +
      `  host: httpbin.foo.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: ${mode}\n`;
    // PeerAuthentications as istio.io's "Mutual TLS Migration" task writes them: STRICT mesh-wide, PERMISSIVE for httpbin's pods.
    const peers = 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls: {mode: STRICT}\n' +
      '---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: httpbin\n  namespace: foo\nspec:\n  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: PERMISSIVE}\n';
    const codes = async (files: Record<string, string>): Promise<string[]> =>
      (JSON.parse((await lint(['--format', 'json', '.'], scratch(files))).stdout) as { code: string }[]).map((r) => r.code);
    assert.deepEqual(await codes({ 'apps/httpbin.yaml': app, 'istio/dr.yaml': rule('ISTIO_MUTUAL') }), ['mtls-without-sidecar']);
    // The Service's selector picks the PERMISSIVE policy: DISABLE is allowed (without the Service, the mesh-wide STRICT one would seem to govern).
    assert.deepEqual(await codes({ 'apps/httpbin.yaml': app, 'istio/dr.yaml': rule('DISABLE'), 'istio/peers.yaml': peers }), []);
    // Without the Service the host's pods are unknown, and a PERMISSIVE policy of the namespace may
    // select them: no finding rather than a false one.
    assert.deepEqual(await codes({ 'istio/dr.yaml': rule('DISABLE'), 'istio/peers.yaml': peers }), []);
    // A PERMISSIVE policy for other pods: read again, the Service shows STRICT governs httpbin's pods.
    const others = peers.replace('matchLabels: {app: httpbin}', 'matchLabels: {app: other}');
    assert.deepEqual(await codes({ 'apps/httpbin.yaml': app, 'istio/dr.yaml': rule('DISABLE'), 'istio/peers.yaml': others }), ['mtls-disabled-under-strict']);
    assert.deepEqual(await codes({ 'istio/dr.yaml': rule('DISABLE'), 'istio/peers.yaml': others }), []);
  });

  it('scopes overrides of a mesh-wide value by the rootNamespace the workspace\'s mesh config sets', async () => {
    // meshConfig.rootNamespace as istio.io's MeshConfig reference describes it; a rule exported from there applies to every client.
    const operator = (root: string | null): string => 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: control-plane\n  namespace: istio-system\n' +
      `spec:\n  meshConfig:\n${root === null ? '' : `    rootNamespace: ${root}\n`}    connectTimeout: 1s\n`;
    const values = 'meshConfig:\n  rootNamespace: istio-config\n';
    const rule = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ratings\n  namespace: istio-config\nspec:\n' +
      '  host: ratings.bookinfo.svc.cluster.local\n  exportTo: ["*"]\n  trafficPolicy:\n    connectionPool:\n      tcp: {connectTimeout: 10s}\n';
    const appliedFrom = async (files: Record<string, string>): Promise<unknown[]> => {
      const rows = JSON.parse((await lint(['--format', 'json', '.'], scratch(files))).stdout) as { code: string; site: string; overriddenBy: { appliedFrom: unknown }[] }[];
      return rows.filter((r) => r.code === 'connect-timeout-low' && r.site === 'IstioOperator').flatMap((r) => r.overriddenBy.map((o) => o.appliedFrom));
    };
    assert.deepEqual(await appliedFrom({ 'istio/operator.yaml': operator('istio-config'), 'istio/ratings.yaml': rule }), [null], 'exported from the root: every namespace');
    assert.deepEqual(await appliedFrom({ 'istio/operator.yaml': operator(null), 'istio/values.yaml': values, 'istio/ratings.yaml': rule }), [null], 'set by another mesh config of the configuration');
    assert.deepEqual(await appliedFrom({ 'istio/operator.yaml': operator(null), 'istio/ratings.yaml': rule }), [['istio-config']], 'istio-config is not the root by default');
  });

  it('still reports the findings of the parseable documents of a file with a syntax error, and exits 1 for them', async () => {
    const dir = scratch({ 'mixed.yaml': `${LOW_RULE}---\nmeshConfig: {connectTimeout: [5s\n` });
    const { code, stdout, stderr } = await lint(['mixed.yaml'], dir);
    assert.equal(code, 1);
    assert.match(stdout, /^mixed\.yaml:6:\d+ warning connectTimeout 1s/m);
    assert.match(stdout, /^mixed\.yaml:1:1 information .*YAML does not parse here/m);
    assert.doesNotMatch(stderr, /error/);
    assert.equal((await lint(['--fail-on', 'error', 'mixed.yaml'], dir)).code, 3);
  });

  it('documents exit status 3 and --allow-unchecked in --help', async () => {
    const { code, stdout } = await lint(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /--allow-unchecked/);
    assert.match(stdout, /^ {2}3 {2}some input could not be checked/m);
    assert.match(stdout, /^ {2}1 {2}findings at or above --fail-on \(this wins over 3/m);
  });

  it('does not count a byte order mark as a column', async () => {
    const line = '{apiVersion: networking.istio.io/v1, kind: DestinationRule, spec: {host: a, trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}}}';
    const dir = scratch({ 'bom.yaml': `\uFEFF${line}\n` });
    const { stdout } = await lint(['--format', 'json', 'bom.yaml'], dir);
    const [row] = JSON.parse(stdout) as { line: number; column: number }[];
    assert.deepEqual([row.line, row.column], [1, line.indexOf('1s') + 1]);
  });
});

describe('mesh-doctor dispatcher', () => {
  it('lists the commands on --help and prints the package version on --version', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^ {2}lint +check the connect timeouts set in Istio manifests$/m);
    const version = await cli(['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout, `${pkg.version}\n`);
  });

  it('prints usage on stderr and exits 2 for an unknown command or none', async () => {
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"[\s\S]*Commands:/);
    assert.equal((await cli(['constructor'])).code, 2, 'object prototype names are not commands');
    assert.equal((await cli([])).code, 2);
  });

  it("hands `<command> --help` to the command's usage", async () => {
    const { code, stdout } = await cli(['lint', '--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^mesh-doctor lint \[--format text\|json\|sarif\]/);
  });

  it('sets the exit code when run as a program', function () {
    this.timeout(30_000);
    const cliJs = path.join(REPO_ROOT, 'out/src/cli.js');
    const spawn = (...args: string[]): number | null => spawnSync(process.execPath, [cliJs, ...args], { cwd: REPO_ROOT, encoding: 'utf8' }).status;
    assert.equal(spawn('lint', 'test/fixtures/lint/idp-destination-rule.yaml'), 1);
    assert.equal(spawn('lint', '--fail-on', 'error', 'test/fixtures/lint/idp-destination-rule.yaml'), 0);
    assert.equal(spawn('lint', 'no-such-file.yaml'), 3, 'an input that could not be checked');
    assert.equal(spawn('nonsense'), 2);
  });
});
