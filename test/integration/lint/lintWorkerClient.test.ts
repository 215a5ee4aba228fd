import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LintWorkerClient, type WorkerLint } from '../../../src/lint/lintWorkerClient';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const sharedDir = process.env.MESH_DOCTOR_SHARED ?? path.resolve(repoRoot, '..', 'shared');
const incidentOperator = fs.readFileSync(path.join(sharedDir, 'fixtures/real/istio/istioctl-kubeinject-istio-operator.yaml'), 'utf8');

/** Thousands of DestinationRules: seconds of parsing, enough to outlast a short time limit. */
function manyRules(count: number): string {
  const rules: string[] = [];
  for (let i = 0; i < count; i++) {
    rules.push(`apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r${i}}\nspec:\n  host: s${i}.example.com\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n`);
  }
  return rules.join('---\n');
}

function done(outcome: WorkerLint): Extract<WorkerLint, { kind: 'done' }> {
  assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
  return outcome as Extract<WorkerLint, { kind: 'done' }>;
}

describe('lint: the lint worker thread', function () {
  this.timeout(60_000);
  const clients: LintWorkerClient[] = [];
  const client = (timeLimitMs?: number): LintWorkerClient => {
    const c = new LintWorkerClient(undefined, timeLimitMs);
    clients.push(c);
    return c;
  };
  afterEach(() => clients.splice(0).forEach((c) => c.dispose()));

  it('lints the real incident IstioOperator off the extension host thread', async () => {
    const { result } = done(await client().lint(incidentOperator, 10));
    assert.equal(result.isIstio, true);
    const timeouts = result.findings.filter((f) => f.code.startsWith('connect-timeout'));
    assert.deepEqual(timeouts.map((f) => [f.code, f.value, f.range.start.line]), [['connect-timeout-low', '1s', 11]]);
    // The mesh config sets neither holdApplicationUntilProxyStarts nor native sidecars: one start-up-order note.
    assert.equal(result.findings.filter((f) => f.code === 'startup-order').length, 1);
  });

  it('stops a job that runs past the time limit, and lints what was queued behind it on a fresh worker', async () => {
    // The limit covers a fresh worker's start-up too, so it must leave room for that on a busy machine.
    const c = client(1500);
    const [slow, next] = await Promise.all([c.lint(manyRules(20_000), 10), c.lint(incidentOperator, 10)]);
    assert.deepEqual(slow, { kind: 'timeout', afterMs: 1500 });
    assert.equal(done(next).result.findings.filter((f) => f.code === 'connect-timeout-low').length, 1);
  });

  it('cancels a running job through its token', async () => {
    const source = new vscode.CancellationTokenSource();
    const running = client().lint(manyRules(10_000), 10, source.token);
    setTimeout(() => source.cancel(), 50);
    const { result } = done(await running);
    assert.equal(result.cancelled, true);
    assert.ok(result.findings.length < 10_000, 'the walk stopped early');
    source.dispose();
  });

  it('runs what the user is looking at before queued background work', async () => {
    const c = client();
    const settled: string[] = [];
    const track = (name: string, p: Promise<WorkerLint>): Promise<void> => p.then((o) => void settled.push(`${name}:${o.kind}`));
    // The first job occupies the worker, so the next three are queued when the interactive one arrives.
    await Promise.all([
      track('running', c.lint(manyRules(2_000), 10, undefined, 'background')),
      track('scan-1', c.lint(incidentOperator, 10, undefined, 'background')),
      track('scan-2', c.lint(incidentOperator, 10, undefined, 'background')),
      track('editor', c.lint(incidentOperator, 10)),
    ]);
    assert.deepEqual(settled, ['running:done', 'editor:done', 'scan-1:done', 'scan-2:done']);
  });

  it('answers every pending job when disposed', async () => {
    const c = client();
    const pending = [c.lint(manyRules(2_000), 10), c.lint(incidentOperator, 10)];
    c.dispose();
    const outcomes = await Promise.all(pending);
    assert.deepEqual(outcomes.map((o) => o.kind), ['failed', 'failed']);
  });
});
