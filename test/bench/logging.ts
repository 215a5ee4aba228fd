import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay, constants as perfConstants } from 'node:perf_hooks';
import { createKubeClients, type KubeClients } from '../../src/kube/clients';
import { loadKubeConfig } from '../../src/kube/kubeconfig';
import { createApiAdminClient } from '../../src/kube/envoyAdmin';
import { createApiLogSource } from '../../src/kube/logs';
import { listWorkloadPods, listWorkloads, podRefOf } from '../../src/kube/workloads';
import { mapBounded } from '../../src/core/envoyLogging/concurrency';
import { raisePodLevels, restorePodLevels } from '../../src/core/envoyLogging/podLevels';
import { TailSession } from '../../src/core/envoyLogging/tailSession';
import { LineRing } from '../../src/core/envoyLogging/lineRing';
import { classifyTailText } from '../../src/core/envoyLogging/tailHighlight';
import { escapeLogText, tailPrefix } from '../../src/core/envoyLogging/tailFormat';
import type { PodRef } from '../../src/kube/types';
import { ensureKubectl } from '../standin/kubectl';
import type { BenchFigure } from './harness';

const BENCH = 'logging';
const LOAD_LINES_PER_SECOND = 20_000;
const CONCURRENCY = 8;

interface SimProcess {
  readonly kubeconfig: string;
  readonly clients: KubeClients;
  stop(): Promise<void>;
}

/**
 * The stand-in in its own process, so the event-loop delay measured here is Mesh Doctor's alone,
 * not the stand-in's work of producing 20,000 lines a second.
 */
async function startSim(args: string[]): Promise<SimProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-bench-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, '../standin/main.js'), ...args, '--kubeconfig-out', kubeconfig], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready$/m.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${code} before it was ready`)));
  });
  const clients = createKubeClients(loadKubeConfig({ kubeconfigSetting: kubeconfig }));
  return {
    kubeconfig,
    clients,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST to the stand-in's control API (/standin/v1/...) with the kubeconfig's credentials. */
async function control(clients: KubeClients, route: string, body: object): Promise<void> {
  const url = new URL(`/standin/v1/${route}`, clients.server);
  const opts: https.RequestOptions = { method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { 'content-type': 'application/json' } };
  await clients.kubeConfig.applyToHTTPSOptions(opts);
  await new Promise<void>((resolve, reject) => {
    const req = https.request(opts, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`control ${route}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const LOAD_SEQ = /"([0-9a-f]{8})-7f3a-4c1e-9b2d-/;

/**
 * Tails one pod at 20,000 lines/s through the same core the tail editor uses (session, resume
 * cursor, escaping, highlighting, bounded ring): no lost or repeated line (the load lines carry a
 * sequence number), event-loop delay p99, and memory over the run.
 */
async function tailFigures(seconds: number): Promise<BenchFigure[]> {
  const sim = await startSim(['--scenario', 'incident']);
  try {
    const pods = await sim.clients.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=frontend' });
    const raw = pods.items[0];
    const pod = podRefOf(sim.clients.context, raw);
    const ring = new LineRing<string>(10_000);
    let expected = -1;
    let received = 0;
    let lost = 0;
    let repeated = 0;
    let highlighted = 0;
    const session = new TailSession({
      source: createApiLogSource(sim.clients),
      listTargets: async () => [{ pod, uid: raw.metadata!.uid!, containers: ['istio-proxy'], envoyContainers: ['istio-proxy'] }],
      pollMs: 3000,
      initialTailLines: 0,
      onLine: (l) => {
        const body = escapeLogText(l.text);
        highlighted += classifyTailText(body, true).length;
        ring.push(tailPrefix(l.pod, l.container) + body);
        const m = LOAD_SEQ.exec(l.text);
        if (!m) return;
        const seq = parseInt(m[1], 16);
        received++;
        if (expected < 0) expected = seq;
        if (seq < expected) repeated++;
        else {
          lost += seq - expected;
          expected = seq + 1;
        }
      },
      onNotice: (m) => process.stderr.write(`bench tail: ${m}\n`),
    });
    await session.start();
    await control(sim.clients, `pods/shop/${pod.name}/load`, { linesPerSecond: LOAD_LINES_PER_SECOND });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // The live heap is what is left after a major GC; sampling there keeps the sawtooth of young
    // garbage out of the slope.
    const afterMajorGc: [number, number][] = [];
    const rss: [number, number][] = [];
    const start = Date.now();
    const minutes = (): number => (Date.now() - start) / 60_000;
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) afterMajorGc.push([minutes(), process.memoryUsage().heapUsed / 1e6]);
      }
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const load: number[] = [];
    while (Date.now() - start < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 1000));
      rss.push([minutes(), process.memoryUsage().rss / 1e6]);
      load.push(os.loadavg()[0]);
    }
    gcObserver.disconnect();
    delay.disable();
    await control(sim.clients, `pods/shop/${pod.name}/load`, { linesPerSecond: 0 });
    await session.stop();
    const ran = (Date.now() - start) / 1000;
    // The first 10 s fill the 10,000-line ring; slopes are measured after it is full.
    const steady = afterMajorGc.filter(([t]) => t * 60 >= 10);
    const steadyRss = rss.filter(([t]) => t * 60 >= 10);
    const p99 = delay.percentile(99) / 1e6;
    return [
      { bench: BENCH, name: 'tail: seconds run', value: Math.round(ran), unit: 's' },
      { bench: BENCH, name: 'tail: load lines received', value: received, unit: 'lines' },
      { bench: BENCH, name: 'tail: lines per second received', value: Math.round(received / ran), unit: 'lines/s' },
      { bench: BENCH, name: 'tail: load lines lost', value: lost, unit: 'lines', target: '== 0', ok: lost === 0 },
      { bench: BENCH, name: 'tail: load lines repeated', value: repeated, unit: 'lines', target: '== 0', ok: repeated === 0 },
      { bench: BENCH, name: 'tail: event-loop delay p99', value: p99, unit: 'ms', target: '< 50', ok: p99 < 50 },
      { bench: BENCH, name: 'tail: event-loop delay p50', value: delay.percentile(50) / 1e6, unit: 'ms' },
      { bench: BENCH, name: 'tail: machine load average (1 min) during the run', value: load.reduce((a, b) => a + b, 0) / Math.max(1, load.length), unit: `on ${os.cpus().length} cores` },
      { bench: BENCH, name: 'tail: live heap slope (after major GCs)', value: slope(steady), unit: `MB/min (${steady.length} GCs)` },
      { bench: BENCH, name: 'tail: rss slope after the ring filled', value: slope(steadyRss), unit: 'MB/min' },
      { bench: BENCH, name: 'tail: live heap at the last major GC', value: Math.round(afterMajorGc.at(-1)?.[1] ?? 0), unit: 'MB' },
      { bench: BENCH, name: 'tail: highlights computed (healthy load: none expected)', value: highlighted, unit: 'marks' },
    ];
  } finally {
    await sim.stop();
  }
}

function kubectlRaiseOnce(kubectl: string, kubeconfig: string, pod: PodRef): Promise<boolean> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['--kubeconfig', kubeconfig, '-n', pod.namespace, 'exec', pod.name, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'POST', 'logging?level=debug'], (err, stdout) => {
      if (err) return reject(err);
      resolve(stdout.includes('active loggers'));
    });
  });
}

/** One baseline call; an empty answer (a busy machine can cut the exec stream) is retried, as a user would, and counted. */
async function kubectlRaise(kubectl: string, kubeconfig: string, pod: PodRef, retries: { count: number }): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await kubectlRaiseOnce(kubectl, kubeconfig, pod)) return;
    retries.count++;
  }
  throw new Error(`kubectl exec on ${pod.name} answered without the logger list three times`);
}

/**
 * Enabling debug logging on a 50-replica Deployment: Mesh Doctor (read levels, then raise, 8 pods
 * at a time over the API transport) against 50 sequential `kubectl exec ... pilot-agent request`.
 */
async function workloadFigures(): Promise<BenchFigure[]> {
  // 250 pods in one namespace make five Deployments of 50 replicas.
  const sim = await startSim(['--scenario', 'scale', '--namespaces', '1', '--pods', '250', '--clusters', '5']);
  try {
    const kubectl = await ensureKubectl();
    const namespace = 'team-000';
    const [workload] = await listWorkloads(sim.clients, namespace);
    const pods = (await listWorkloadPods(sim.clients, workload)).map((p) => podRefOf(sim.clients.context, p));
    if (pods.length !== 50) throw new Error(`expected 50 replicas in ${workload.name}, found ${pods.length}`);
    const admin = createApiAdminClient(sim.clients);
    const rounds = 3;
    const retries = { count: 0 };
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let t = process.hrtime.bigint();
      const results = await mapBounded(pods, CONCURRENCY, (p) => raisePodLevels(admin, p, { kind: 'all', level: 'debug' }));
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      const failed = results.filter((r) => !r.ok).length;
      if (failed) throw new Error(`${failed} pods failed to raise`);
      await mapBounded(results, CONCURRENCY, async (r) => r.ok && restorePodLevels(admin, r.item, r.value.before));
      t = process.hrtime.bigint();
      for (const p of pods) await kubectlRaise(kubectl, sim.kubeconfig, p, retries);
      theirs.push(Number(process.hrtime.bigint() - t) / 1e6);
      await mapBounded(pods, CONCURRENCY, (p) => admin.request(p, 'POST', '/logging?level=warning'));
    }
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    return [
      { bench: BENCH, name: `enable 50 replicas: Mesh Doctor (read + raise, ${CONCURRENCY} at a time)`, value: Math.round(med(ours)), unit: 'ms' },
      { bench: BENCH, name: 'enable 50 replicas: 50 sequential kubectl exec', value: Math.round(med(theirs)), unit: 'ms' },
      { bench: BENCH, name: 'enable 50 replicas: kubectl exec calls retried (empty answer)', value: retries.count, unit: `of ${rounds * pods.length}` },
      { bench: BENCH, name: 'enable 50 replicas: speed-up over sequential kubectl', value: med(theirs) / med(ours), unit: 'x', target: '> 1', ok: med(theirs) > med(ours) },
    ];
  } finally {
    await sim.stop();
  }
}

/** `npm run bench -- --only logging`; with `MESH_DOCTOR_BENCH_LONG=1` the tail runs 5 minutes instead of 60 s. */
export async function runLoggingBench(): Promise<BenchFigure[]> {
  const long = process.env.MESH_DOCTOR_BENCH_LONG === '1';
  return [...(await workloadFigures()), ...(await tailFigures(long ? 300 : 60))];
}
