/**
 * Hostile clusters and hostile names against every CLI command that reaches a cluster: `clusters`
 * and `log-level` (read, raise, --restore, --for), through client-node and through the real kubectl,
 * each run in a process of its own (runCliBounded). Every case must end in time with the documented
 * exit code, a message that names the pod and what failed, no crash stack, no bearer token in the
 * output, and for log-level with the saved levels still on disk after any failed restore.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readStateFile } from '../../../src/files/stateFile';
import { startStandIn, type FaultSpec, type StandIn } from '../../standin';
import { ensureKubectl } from '../../standin/kubectl';
import { runCliBounded, type BoundedRun } from './bounded';

type Transport = 'api' | 'kubectl';

/** --timeout of every run: short, so the stand-in's delays are "past the timeout". */
const TIMEOUT_SECONDS = 1;

/** How long a delayed answer takes: a run that waits for it instead of giving up takes at least this. */
const STALL_MS = 60_000;

/** A failing run's upper bound, retries of a restore included; well under STALL_MS. */
const FAIL_WITHIN_MS = 40_000;

interface Fault {
  readonly title: string;
  readonly specs: readonly FaultSpec[];
  /** What the message must say (besides naming the pod). */
  readonly says: RegExp;
  /** A fault that may lose the race against a quick answer: the call may also succeed. */
  readonly racy?: boolean;
}

/** Faults on the Envoy admin routes: every command that talks to Envoy fails on them. */
const ADMIN_FAULTS: readonly Fault[] = [
  { title: '401 on everything', specs: [{ kind: 'status', code: 401 }], says: /401|Unauthorized|credentials|logged in/i },
  { title: '403 on port-forward and exec', specs: [{ kind: 'status', code: 403, verb: 'portforward' }, { kind: 'status', code: 403, verb: 'exec' }], says: /forbidden/i },
  { title: '500 on port-forward and exec', specs: [{ kind: 'status', code: 500, verb: 'portforward' }, { kind: 'status', code: 500, verb: 'exec' }], says: /500|Internal error|failed/ },
  { title: 'upgrades delayed past the timeout', specs: [{ kind: 'delay', delayMs: STALL_MS, verb: 'portforward' }, { kind: 'delay', delayMs: STALL_MS, verb: 'exec' }], says: /timed out after 1 s waiting for the Envoy admin answer/ },
  { title: 'a silent kubelet (upgrade accepted, then nothing)', specs: [{ kind: 'stallWebSocket', verb: 'portforward' }, { kind: 'stallWebSocket', verb: 'exec' }], says: /timed out after 1 s waiting for the Envoy admin answer|failed/ },
  { title: 'WebSockets dropped at once', specs: [{ kind: 'dropWebSocket', afterMs: 0, verb: 'portforward' }, { kind: 'dropWebSocket', afterMs: 0, verb: 'exec' }], says: /closed|failed|stream|lost|EOF/i, racy: true },
];

describe('adversarial: cluster commands against a failing cluster (real CLI process)', function () {
  this.timeout(120_000);
  let standIn: StandIn;
  let kubectl: string;
  let cache: string;
  let podCount = 0;

  before(async () => {
    [standIn, kubectl] = await Promise.all([startStandIn({ scenario: 'incident' }), ensureKubectl()]);
  });
  after(() => standIn?.close());
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-adv-cluster-'));
  });
  afterEach(() => {
    standIn.model.clearFaults();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const stateFile = () => path.join(cache, 'mesh-doctor', 'log-levels.json');

  /** A fresh sidecar pod per case, so one case's raise or deletion never leaks into the next. */
  function freshPod(): string {
    const name = `victim-${++podCount}`;
    standIn.model.addPod({ namespace: 'shop', name, sidecar: { istioVersion: '1.22.3' } });
    return name;
  }

  function cli(args: readonly string[], transport: Transport = 'api'): Promise<BoundedRun> {
    const via = transport === 'kubectl' ? ['--transport', 'kubectl', '--kubectl', kubectl] : [];
    return runCliBounded([...args, '--kubeconfig', standIn.kubeconfigPath, '--timeout', String(TIMEOUT_SECONDS), ...via], {
      timeoutMs: STALL_MS + 10_000,
      env: { ...process.env, KUBECONFIG: '', XDG_CACHE_HOME: cache },
    });
  }

  /** What every run must hold to, whatever happened. */
  function assertClean(run: BoundedRun, label: string): void {
    assert.equal(run.timedOut, false, `${label}: hung`);
    const all = run.stdout + run.stderr;
    assert.ok(!all.includes(standIn.token), `${label}: the bearer token leaked`);
    assert.doesNotMatch(all, /^\s+at .+:\d+:\d+\)?$/m, `${label}: a crash stack`);
    assert.doesNotMatch(all, /TypeError|ReferenceError|UnhandledPromiseRejection|ERR_/, `${label}: an internal error`);
  }

  function assertFailed(run: BoundedRun, fault: Fault, pod: string, label: string): void {
    assertClean(run, label);
    assert.equal(run.code, 1, `${label}: exit code; stderr: ${run.stderr}`);
    assert.ok(run.elapsedMs < FAIL_WITHIN_MS, `${label}: took ${run.elapsedMs} ms (waited for the stalled server instead of giving up)`);
    assert.match(run.stderr, fault.says, label);
    assert.ok(run.stderr.includes(pod), `${label}: the message names the pod: ${run.stderr}`);
  }

  const inject = (fault: Fault, pod: string) => {
    for (const spec of fault.specs) standIn.model.addFault({ ...spec, namespace: 'shop', pod });
  };

  for (const fault of ADMIN_FAULTS) {
    it(`clusters: ${fault.title}`, async () => {
      const pod = freshPod();
      inject(fault, pod);
      assertFailed(await cli(['clusters', '--pod', `shop/${pod}`]), fault, pod, fault.title);
    });

    for (const transport of ['api', 'kubectl'] as const) {
      it(`log-level read and raise (${transport}): ${fault.title}`, async () => {
        const pod = freshPod();
        inject(fault, pod);
        const read = await cli(['log-level', '--pod', `shop/${pod}`], transport);
        if (!(fault.racy && read.code === 0)) assertFailed(read, fault, pod, `read ${fault.title}`);
        const raise = await cli(['log-level', '--pod', `shop/${pod}`, '--level', 'debug'], transport);
        if (fault.racy && raise.code === 0) return assertClean(raise, `raise ${fault.title}`);
        assertFailed(raise, fault, pod, `raise ${fault.title}`);
        standIn.model.clearFaults();
        assert.ok(Object.entries(standIn.model.envoyLogLevels('shop', pod)).every(([n, l]) => l === (n === 'misc' ? 'error' : 'warning')), 'nothing was raised (still the injector levels: warning, misc: error)');
      });

      it(`log-level --restore (${transport}): ${fault.title} keeps the saved levels`, async () => {
        const pod = freshPod();
        const raised = await cli(['log-level', '--pod', `shop/${pod}`, '--loggers', 'connection:debug,pool:trace'], transport);
        assert.equal(raised.code, 0, raised.stderr);
        const saved = readStateFile(stateFile());
        inject(fault, pod);
        const r = await cli(['log-level', '--pod', `shop/${pod}`, '--restore'], transport);
        if (fault.racy && r.code === 0) {
          // A retry got through: then, and only then, the record may go.
          assertClean(r, `restore ${fault.title}`);
          assert.equal(standIn.model.envoyLogLevels('shop', pod).pool, 'warning');
          assert.deepEqual(readStateFile(stateFile()), []);
          return;
        }
        assertFailed(r, fault, pod, `restore ${fault.title}`);
        assert.match(r.stderr, /the saved levels are kept; retry with: mesh-doctor log-level --pod shop\/\S+ .*--restore/);
        assert.deepEqual(readStateFile(stateFile()), saved, 'the record survives the failed restore');
        standIn.model.clearFaults();
        const again = await cli(['log-level', '--pod', `shop/${pod}`, '--restore'], transport);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(standIn.model.envoyLogLevels('shop', pod).pool, 'warning');
        assert.deepEqual(readStateFile(stateFile()), []);
      });
    }
  }

  it('log-level --for: the automatic restore fails on a 500, keeps the record and exits 1; kubectl too', async () => {
    const serverError = ADMIN_FAULTS.find((f) => f.title.startsWith('500'))!;
    for (const transport of ['api', 'kubectl'] as const) {
      const pod = freshPod();
      const running = cli(['log-level', '--pod', `shop/${pod}`, '--level', 'trace', '--for', '0.03'], transport);
      while (standIn.model.envoyLogLevels('shop', pod).admin !== 'trace') await new Promise((r) => setTimeout(r, 20));
      inject(serverError, pod);
      const r = await running;
      assertFailed(r, serverError, pod, `--for ${transport}`);
      assert.match(r.stderr, /could not restore/);
      const kept = readStateFile(stateFile()).filter((p) => p.pod.name === pod);
      assert.equal(kept.length, 1, 'the record survives');
      assert.equal(kept[0].saved.admin, 'warning');
      standIn.model.clearFaults();
    }
  });

  it('a pod deleted mid-call: raise and clusters say not found; a --restore of a deleted pod drops its record and says so', async () => {
    const notFound: Fault = { title: 'deleted', specs: [], says: /not found|no longer exists/ };
    for (const [args, verb] of [[['clusters'], 'portforward'], [['log-level', '--level', 'debug'], 'portforward'], [['log-level'], 'portforward']] as const) {
      const pod = freshPod();
      standIn.model.addFault({ kind: 'deletePod', verb, namespace: 'shop', pod });
      assertFailed(await cli([...args, '--pod', `shop/${pod}`]), notFound, pod, args.join(' '));
    }
    const pod = freshPod();
    assert.equal((await cli(['log-level', '--pod', `shop/${pod}`, '--level', 'debug'])).code, 0);
    standIn.model.addFault({ kind: 'deletePod', verb: 'get', namespace: 'shop', pod });
    const r = await cli(['log-level', '--pod', `shop/${pod}`, '--restore']);
    assertFailed(r, notFound, pod, 'restore of a deleted pod');
    assert.match(r.stderr, new RegExp(`shop/${pod} no longer exists; its saved levels were dropped`));
    assert.deepEqual(readStateFile(stateFile()), []);
  });

  it('the API server itself slower than the timeout: the pod read ends with what it waited for', async () => {
    const pod = freshPod();
    standIn.model.addFault({ kind: 'delay', delayMs: STALL_MS, verb: 'get', namespace: 'shop', pod });
    const r = await cli(['log-level', '--pod', `shop/${pod}`, '--level', 'debug']);
    assertClean(r, 'slow get');
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`cannot get pod ${pod} in namespace shop: timed out after 1 s waiting for the API server at https://127\\.0\\.0\\.1:\\d+`));
    assert.match(r.stderr, /--timeout SECONDS/);
    assert.ok(r.elapsedMs < 15_000, `took ${r.elapsedMs} ms`);
  });

  describe('hostile names and values', () => {
    const hostilePods = [
      'shop/--filename=http://evil.example/payload.yaml',
      'shop/-oyaml',
      '../x',
      'shop/../../kube-system/pods/x',
      'shop/x%2f..%2fy',
      'shop/chéckout',
      'shop/ｃheckout',
      'shop/x\u202eevil',
      'shop/x\u001b]0;owned\u0007',
      `shop/${'a'.repeat(300)}`,
      `${'n'.repeat(64)}/x`,
      'shop/',
      '/x',
      'shop/a/b',
    ];
    for (const command of [['clusters'], ['log-level'], ['log-level', '--level', 'debug'], ['log-level', '--restore']]) {
      it(`${command.join(' ')} refuses hostile pod names with exit 2, through both transports`, async () => {
        for (const transport of ['api', 'kubectl'] as const) {
          if (command[0] === 'clusters' && transport === 'kubectl') continue;
          for (const pod of hostilePods) {
            const r = await cli([...command, `--pod=${pod}`], transport);
            const label = `${command.join(' ')} ${transport} ${JSON.stringify(pod)}`;
            assertClean(r, label);
            assert.equal(r.code, 2, `${label}: ${r.stderr}`);
            assert.match(r.stderr, /--pod/, label);
            assert.doesNotMatch(r.stderr, /[\u001b\u0007\u202e]/, `${label}: control characters echoed`);
            assert.ok(r.stderr.length < 4_000, `${label}: message size ${r.stderr.length}`);
          }
        }
        assert.equal(fs.existsSync(stateFile()), false, 'nothing recorded');
      });
    }

    it('refuses absurd --for and --timeout values before touching the cluster', async () => {
      const pod = freshPod();
      for (const args of [['--for', '40000'], ['--for', '1e400'], ['--for', 'NaN'], ['--for', '-1'], ['--timeout', '0'], ['--timeout', '-5'], ['--timeout', '1e309'], ['--timeout', '99999']]) {
        const withChange = args[0] === '--for' ? ['--level', 'debug', ...args] : args;
        const r = await runCliBounded(['log-level', '--pod', `shop/${pod}`, ...withChange, '--kubeconfig', standIn.kubeconfigPath], { env: { ...process.env, XDG_CACHE_HOME: cache } });
        assertClean(r, args.join(' '));
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      }
      assert.ok(Object.entries(standIn.model.envoyLogLevels('shop', pod)).every(([n, l]) => l === (n === 'misc' ? 'error' : 'warning')), 'nothing was raised (still the injector levels: warning, misc: error)');
    });

    it('a hostile --context is a clear error, never a kubectl flag or a shell command', async () => {
      const marker = path.join(cache, 'owned');
      for (const context of ['--kubeconfig=/etc/passwd', `$(touch ${marker})`, '-v=9']) {
        for (const transport of ['api', 'kubectl'] as const) {
          const r = await cli(['log-level', '--pod', 'shop/x', `--context=${context}`], transport);
          assertClean(r, context);
          assert.equal(r.code, 1, r.stderr);
          assert.match(r.stderr, /is not in the kubeconfig/);
        }
      }
      assert.equal(fs.existsSync(marker), false);
    });
  });
});
