import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/diagnose';
import type { CliIo } from '../../../src/cli/args';
import { gatherEvidence } from '../../../src/kube/diagnoseEvidence';
import { openClusterAccess } from '../../../src/kube/transport';
import { listPodsPaged } from '../../../src/kube/pods';
import { rankCauses } from '../../../src/core/diagnose/rank';
import { run as runVerify } from '../../../src/cli/verify';
import { startStandIn, type StandIn } from '../../standin';
import { ensureKubectl } from '../../standin/kubectl';
import { defaultStateFile, readStateFile } from '../../../src/files/stateFile';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

function capture(cwd: string): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const IDP = 'outbound|443||idp.example.com';

/** The incident's DestinationRule as a workspace would hold it (the 1 s the incident ran with). */
const DESTINATION_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: idp
  namespace: shop
spec:
  host: idp.example.com
  trafficPolicy:
    connectionPool:
      tcp:
        connectTimeout: 1s
`;

describe('mesh-doctor diagnose', function () {
  this.timeout(60_000);
  let standIn: StandIn;
  let checkout = '';
  let workspace = '';
  /** Moves the stand-in's clock a second every 20 ms while a diagnosis waits between its samples. */
  let ticker: NodeJS.Timeout;
  before(async () => {
    standIn = await startStandIn({ scenario: 'incident' });
    const { clients } = openClusterAccess({ kubeconfig: standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' });
    await listPodsPaged(clients, 'shop', (p) => void (checkout ||= p.items.map((i) => i.metadata!.name!).find((n) => n.startsWith('checkout-')) ?? ''));
    standIn.model.advance(20_000);
    workspace = mkdtempSync(path.join(tmpdir(), 'diagnose-ws-'));
    writeFileSync(path.join(workspace, 'idp-destinationrule.yaml'), DESTINATION_RULE);
    ticker = setInterval(() => standIn.model.advance(1000), 20);
  });
  after(async () => {
    clearInterval(ticker);
    rmSync(workspace, { recursive: true, force: true });
    await standIn?.close();
  });

  const args = (...more: string[]) => ['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath, '--sample-seconds', '0.5', '--workspace', workspace, ...more];

  it('gathers the incident pod evidence and ranks connect-timeout first with the 1 s, rising counters and the Java resets', async () => {
    const access = openClusterAccess({ kubeconfig: standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' });
    const steps: string[] = [];
    const evidence = await gatherEvidence(access, { kind: 'pod', pod: { context: access.clients.context, namespace: 'shop', name: checkout } }, { minutes: 5, sampleSeconds: 0.5, debugMinutes: 0, onProgress: (s) => steps.push(s) });
    // 1 pod read, 2 config dumps, 2 × (/clusters + /stats), 2 container logs.
    assert.equal(evidence.requests, 9);
    assert.ok(steps.length >= 3, steps.join('; '));
    const top = rankCauses(evidence, { minimumSeconds: 10 }).causes[0]!;
    assert.equal(top.cause, 'connect-timeout');
    assert.deepEqual(top.clusters, [IDP]);
    assert.ok(top.evidence.some((e) => e.kind === 'config' && e.cluster === IDP && e.value === '1s'));
    assert.ok(top.evidence.some((e) => e.kind === 'counter' && e.after > e.before), JSON.stringify(top.evidence));
    assert.ok(top.evidence.some((e) => e.kind === 'log' && e.text === 'java.net.SocketException: Connection reset' && e.file === `shop/${checkout}/checkout`));
  });

  it('stops at once when cancelled while it waits between the samples', async () => {
    const access = openClusterAccess({ kubeconfig: standIn.kubeconfigPath, transport: 'api', kubectlPath: 'kubectl' });
    const controller = new AbortController();
    const gathering = gatherEvidence(access, { kind: 'pod', pod: { context: access.clients.context, namespace: 'shop', name: checkout } }, {
      minutes: 5, sampleSeconds: 600, debugMinutes: 0, signal: controller.signal, onProgress: () => controller.abort(),
    });
    await assert.rejects(gathering, { name: 'AbortError' });
  });

  it('prints JSON with the documented fields, the workspace DestinationRule as the manifest', async () => {
    const io = capture(workspace);
    assert.equal(await run(args('--format', 'json'), io), 0, io.err);
    const d = JSON.parse(io.out) as { target: string; window: unknown; requests: number; causes: Record<string, unknown>[] };
    assert.equal(d.target, `pod shop/${checkout}`);
    assert.equal(d.requests, 9);
    assert.deepEqual(Object.keys(d.causes[0]!).filter((k) => ['cause', 'confidence', 'clusters', 'evidence', 'setting', 'manifest', 'fix'].includes(k)).length, 7);
    assert.equal(d.causes[0]!.cause, 'connect-timeout');
    assert.deepEqual((d.causes[0]!.manifest as { file: string; startLine: number }[]).map((m) => [m.file, m.startLine]), [['idp-destinationrule.yaml', 11]]);
  });

  it('prints text and a Markdown postmortem', async () => {
    const text = capture(workspace);
    assert.equal(await run(args(), text), 0, text.err);
    assert.match(text.out, /^1\. connect-timeout \(confidence/m);
    assert.match(text.out, /set in the workspace: idp-destinationrule\.yaml:11/);
    const md = capture(workspace);
    assert.equal(await run(args('--format', 'markdown'), md), 0, md.err);
    for (const heading of ['# Diagnosis: pod', '## Timeline', '## Causes', '#### Evidence', '#### Fix']) assert.ok(md.out.includes(heading), heading);
    assert.match(md.out, /outbound\\\|443\\\|\\\|idp\\\.example\\\.com/);
  });

  it('diagnoses a workload: every checkout replica', async () => {
    const io = capture(workspace);
    assert.equal(await run(['--workload', 'shop/deployment/checkout', '--kubeconfig', standIn.kubeconfigPath, '--sample-seconds', '0.5', '--workspace', workspace, '--format', 'json'], io), 0, io.err);
    const d = JSON.parse(io.out) as { causes: { cause: string; pods: string[] }[] };
    assert.equal(d.causes[0]!.cause, 'connect-timeout');
    assert.equal(d.causes[0]!.pods.length, 3);
  });

  it('--debug-minutes raises debug logging, ties each reset to its Envoy lines, restores the levels exactly and forgets the record', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'diagnose-cache-'));
    try {
      const env = { ...process.env, XDG_CACHE_HOME: cache };
      const io = Object.assign(capture(workspace), { env });
      const levelsBefore = standIn.model.envoyLogLevels('shop', checkout);
      assert.equal(await run(args('--debug-minutes', '0.05', '--format', 'json'), io), 0, io.err);
      const d = JSON.parse(io.out) as { window: { debugMinutes: number }; notes: string[]; causes: { cause: string; evidence: { kind: string; text?: string }[] }[] };
      assert.equal(d.window.debugMinutes, 0.05);
      assert.ok(d.notes.includes('Envoy log levels restored exactly'), d.notes.join('; '));
      assert.equal(d.causes[0]!.cause, 'connect-timeout');
      assert.ok(d.causes[0]!.evidence.some((e) => e.kind === 'log' && e.text?.includes('connect timeout') === true), 'an Envoy debug line as evidence');
      assert.deepEqual(standIn.model.envoyLogLevels('shop', checkout), levelsBefore);
      assert.deepEqual(readStateFile(defaultStateFile(env)), []);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('--debug-minutes in a protected context needs --confirm-protected', async () => {
    const io = capture(workspace);
    assert.equal(await run(args('--debug-minutes', '1', '--protected-context', 'standin-*'), io), 2);
    assert.match(io.err, /protected pattern "standin-\*".*--confirm-protected/);
  });

  // Runs last but one: the fix it applies stays on the stand-in.
  it('end to end: diagnose, kubectl apply of the fixed DestinationRule, verify reports verified', async () => {
    const diagnosis = capture(workspace);
    assert.equal(await run(args('--format', 'json'), diagnosis), 0, diagnosis.err);
    const top = (JSON.parse(diagnosis.out) as { causes: { cause: string; clusters: string[] }[] }).causes[0]!;
    assert.equal(top.cause, 'connect-timeout');
    const verifyArgs = ['--pod', `shop/${checkout}`, '--kubeconfig', standIn.kubeconfigPath, ...top.clusters.flatMap((c) => ['--cluster', c]), '--window', '1', '--interval', '0.2', '--format', 'json'];
    const before = capture(workspace);
    assert.equal(await runVerify([...verifyArgs, '--timeout', '0.5'], before), 1, 'not verified before the fix');
    assert.match((JSON.parse(before.out) as { stillFailing: string[] }).stillFailing.join('\n'), /still has connect timeout 1s/);

    const fixed = path.join(workspace, 'idp-destinationrule.yaml');
    writeFileSync(fixed, DESTINATION_RULE.replace('connectTimeout: 1s', 'connectTimeout: 10s'));
    const kubectl = await ensureKubectl();
    await promisify(execFile)(kubectl, ['apply', '--validate=false', '-f', fixed], { env: { ...process.env, KUBECONFIG: standIn.kubeconfigPath } });
    const after = capture(workspace);
    assert.equal(await runVerify([...verifyArgs, '--timeout', '30'], after), 0, after.out + after.err);
    const result = JSON.parse(after.out) as { verified: boolean; tookSeconds: number; checks: { pod: string; before: string; after: string; failuresSinceFix: number; flatSeconds: number }[] };
    assert.equal(result.verified, true);
    // Followed through the Deployment: every replica is checked.
    assert.equal(result.checks.length, 3);
    // A call started under the old 1 s value just before the push still times out after it (as in a
    // real Envoy, where the old cluster's pending connects keep their timeout): with one call every
    // 5 s that is at most one failure per replica. What "verified" promises is the flat window after it.
    assert.ok(result.checks.every((c) => c.after === '10s' && c.failuresSinceFix <= 1 && c.flatSeconds >= 1), JSON.stringify(result.checks));
    writeFileSync(fixed, DESTINATION_RULE);
  });

  it('words the hint for the command line when port-forward and exec are both forbidden', async () => {
    const ids = [standIn.model.addFault({ kind: 'status', code: 403, verb: 'portforward' }), standIn.model.addFault({ kind: 'status', code: 403, verb: 'exec' })];
    try {
      const io = capture(workspace);
      assert.equal(await run(args(), io), 1);
      assert.match(io.err, /retry with --transport kubectl/);
      assert.doesNotMatch(io.err, /meshDoctor\./);
    } finally {
      ids.forEach((id) => standIn.model.removeFault(id));
    }
  });

  it('refuses bad usage with exit 2 and an unknown pod with exit 1 and a hint', async () => {
    const both = capture(workspace);
    assert.equal(await run(['--pod', 'shop/x', '--workload', 'shop/deployment/x'], both), 2);
    assert.match(both.err, /one of --pod/);
    const kind = capture(workspace);
    assert.equal(await run(['--workload', 'shop/job/x'], kind), 2);
    const missing = capture(workspace);
    assert.equal(await run(['--pod', 'shop/nope', '--kubeconfig', standIn.kubeconfigPath, '--sample-seconds', '0.1'], missing), 1);
    assert.match(missing.err, /What to do: /);
  });
});
