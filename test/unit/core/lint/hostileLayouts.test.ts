/**
 * Hostile inputs for the layouts the linter reads (Helm templates, Kustomize patches, embedded
 * YAML, pod annotations): each runs the real CLI in its own bounded process and must end in time,
 * with a clear outcome and no crash stack.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliBounded, type BoundedRun } from '../../adversarial/bounded';
import { lintManifest } from '../../../../src/core/lint';

function scratch(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-layouts-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function assertClean(run: BoundedRun): void {
  assert.equal(run.timedOut, false, `timed out after ${run.elapsedMs} ms`);
  assert.doesNotMatch(run.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no crash stack');
}

const DR_HEAD = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a, namespace: ns}\nspec:\n  host: a\n';

describe('adversarial: mesh-doctor lint on hostile layouts', function () {
  this.timeout(120_000);

  it('blanks a 4 MB line of template actions in linear time', async () => {
    const line = `x: ${'{{ .Values.a }}'.repeat(250_000)}\n`;
    const dir = scratch({ 'templates/dr.yaml': `${DR_HEAD}  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n${line}` });
    const run = await runCliBounded(['lint', '--format', 'json', '.'], { cwd: dir, timeoutMs: 10_000, maxHeapMb: 512 });
    assertClean(run);
    assert.equal(run.code, 1);
    assert.deepEqual((JSON.parse(run.stdout) as { code: string; line: number }[]).map((r) => [r.code, r.line]), [['connect-timeout-low', 6]]);
  });

  it('skips a JSON6902 path of a million segments without rebuilding it', async () => {
    const patch = `- op: add\n  path: /spec/trafficPolicy${'/x'.repeat(1_000_000)}\n  value: {tcp: {connectTimeout: 1s}}\n- op: add\n  path: /spec/trafficPolicy/connectionPool/tcp/maxConnections\n  value: 1\n`;
    const run = await runCliBounded(['lint', '--format', 'json', 'patch.yaml'], { cwd: scratch({ 'patch.yaml': patch }), timeoutMs: 30_000, maxHeapMb: 256 });
    assertClean(run);
    assert.deepEqual((JSON.parse(run.stdout) as { code: string; line: number }[]).map((r) => [r.code, r.line]), [['pool-limit-tiny', 6]]);
  });

  it('bounds Kustomize patches nested in patches, and reads the ones within the bound', async () => {
    let inner = `${DR_HEAD}  trafficPolicy: {connectionPool: {http: {maxRequestsPerConnection: 1}}}\n`;
    for (let i = 0; i < 10; i++) inner = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n- patch: ${JSON.stringify(inner)}\n`;
    const run = await runCliBounded(['lint', '--format', 'json', 'k.yaml'], { cwd: scratch({ 'k.yaml': inner }), timeoutMs: 30_000, maxHeapMb: 512 });
    assertClean(run);
    assert.ok(run.code === 0 || run.code === 1, `exit ${String(run.code)}`);
    assert.doesNotThrow(() => JSON.parse(run.stdout));
  });

  it('refuses an unknown --disable code with the list of codes, and honours a known one', async () => {
    const dir = scratch({ 'dr.yaml': `${DR_HEAD}  trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}}}\n` });
    const bad = await runCliBounded(['lint', '--disable', 'pool-limit-tiny,no-such-rule', '.'], { cwd: dir });
    assertClean(bad);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown rule code "no-such-rule"; the codes are connect-timeout-low, /);
    const off = await runCliBounded(['lint', '--disable', 'pool-limit-tiny', '.'], { cwd: dir });
    assert.equal(off.code, 0);
  });

  it('never offers a fix that rewrites template text, even when the default literal is judged', () => {
    const text = `${DR_HEAD}  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: "{{ .Values.t | default "1s" }}"\n`;
    const [finding] = lintManifest(text, { minimumSeconds: 10 }).findings;
    assert.equal(finding.code, 'connect-timeout-low');
    assert.equal(finding.fix, null);
    assert.equal(finding.range.start.line, 8);
  });

  it('reads a proxy.istio.io/config annotation that is not YAML as a problem there, not a crash', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata:\n      annotations:\n        proxy.istio.io/config: "{terminationDrainDuration: [}"\n';
    const result = lintManifest(text, { minimumSeconds: 10 });
    assert.deepEqual(result.findings, []);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /proxy\.istio\.io\/config annotation does not parse as YAML/);
  });
});
