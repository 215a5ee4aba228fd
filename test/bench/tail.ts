/**
 * `npm run bench -- --only tail`: one pod tailed at 20,000 lines/s through the same core the tail
 * editor uses (session, resume cursor, escaping, highlighting, bounded ring) for
 * MESH_DOCTOR_BENCH_TAIL_SECONDS (default 600). Figures: no lost or repeated line (the load lines
 * carry a sequence number), event-loop delay p99, and whether memory reaches a plateau: RSS and the
 * live heap are read after a forced full GC every few seconds, so growth cannot hide behind a
 * major GC that V8 simply has not run yet.
 */

import * as os from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { createApiLogSource } from '../../src/kube/logs';
import { podRefOf } from '../../src/kube/workloads';
import { TailSession } from '../../src/core/envoyLogging/tailSession';
import { LineRing } from '../../src/core/envoyLogging/lineRing';
import { classifyTailText } from '../../src/core/envoyLogging/tailHighlight';
import { escapeLogText, tailPrefix } from '../../src/core/envoyLogging/tailFormat';
import { collectGarbage, type BenchFigure } from './harness';
import { control, startSim } from './standinProcess';

const BENCH = 'tail';
const LOAD_LINES_PER_SECOND = 20_000;
/** The tail editor's default `meshDoctor.tail.maxLines`. */
const RING_LINES = 10_000;
const DEFAULT_SECONDS = 600;
const SAMPLE_EVERY_MS = 5000;
/**
 * The bound committed to: over the second half of the run the RSS trend rises by less than this. A
 * leak of one line in a hundred at 20,000 lines/s (~300 bytes each) adds ~18 MB in five minutes;
 * the allowance is allocator noise around a plateau, not room for growth.
 */
const MAX_RSS_GROWTH_SECOND_HALF_MB = 24;
/** Live heap slope over the second half: flat within sampling noise; one line in 700 kept would exceed it. */
const MAX_LIVE_HEAP_SLOPE_MB_PER_MIN = 0.5;

const LOAD_SEQ = /"([0-9a-f]{8})-7f3a-4c1e-9b2d-/;

interface MemorySample {
  readonly minutes: number;
  readonly rssMb: number;
  readonly liveHeapMb: number;
  readonly externalMb: number;
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

function runSeconds(): number {
  const raw = process.env.MESH_DOCTOR_BENCH_TAIL_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 20) throw new Error(`MESH_DOCTOR_BENCH_TAIL_SECONDS must be a whole number of seconds, at least 20; got ${raw}`);
  return seconds;
}

export async function runTailBench(): Promise<BenchFigure[]> {
  const seconds = runSeconds();
  const sim = await startSim(['--scenario', 'incident']);
  try {
    const pods = await sim.clients.core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=frontend' });
    const raw = pods.items[0];
    const pod = podRefOf(sim.clients.context, raw);
    const ring = new LineRing<string>(RING_LINES);
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
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let naturalMajorGcs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const detail = (e as unknown as { detail?: { kind?: number; flags?: number } }).detail;
        if (detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR && !((detail.flags ?? 0) & perfConstants.NODE_PERFORMANCE_GC_FLAGS_FORCED)) naturalMajorGcs++;
      }
    });
    const samples: MemorySample[] = [];
    const load: number[] = [];
    let start = 0;
    // The forced collection is the bench's own pause, not the tail's: the delay monitor is off while it runs.
    const sample = (): void => {
      delay.disable();
      collectGarbage();
      const m = process.memoryUsage();
      const s = { minutes: (Date.now() - start) / 60_000, rssMb: m.rss / 1e6, liveHeapMb: m.heapUsed / 1e6, externalMb: (m.external + m.arrayBuffers) / 1e6 };
      // One progress line a minute on stderr: the curve behind the figures, and a sign of life in a long run.
      if (samples.length % (60_000 / SAMPLE_EVERY_MS) === 0) process.stderr.write(`bench tail: ${s.minutes.toFixed(1)} min, rss ${Math.round(s.rssMb)} MB, live heap ${Math.round(s.liveHeapMb)} MB\n`);
      samples.push(s);
      load.push(os.loadavg()[0]);
      delay.enable();
    };

    await session.start();
    await control(sim.clients, `pods/shop/${pod.name}/load`, { linesPerSecond: LOAD_LINES_PER_SECOND });
    start = Date.now();
    gcObserver.observe({ entryTypes: ['gc'] });
    sample();
    while (Date.now() - start < seconds * 1000) {
      await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
      sample();
    }
    gcObserver.disconnect();
    delay.disable();
    await control(sim.clients, `pods/shop/${pod.name}/load`, { linesPerSecond: 0 });
    await session.stop();
    const ran = (Date.now() - start) / 1000;

    const half = samples[0].minutes + (samples[samples.length - 1].minutes - samples[0].minutes) / 2;
    const secondHalf = samples.filter((s) => s.minutes >= half);
    const rssAtHalf = secondHalf[0].rssMb;
    // The least-squares trend, not the highest sample: RSS after a full GC still jumps by tens of
    // megabytes for a sample or two (allocator pages not yet returned) and comes back; growth stays.
    const rssGrowth = slope(secondHalf.map((s) => [s.minutes, s.rssMb])) * (secondHalf[secondHalf.length - 1].minutes - secondHalf[0].minutes);
    const heapSlope = slope(secondHalf.map((s) => [s.minutes, s.liveHeapMb]));
    const first = samples[0];
    const last = samples[samples.length - 1];
    const p99 = delay.percentile(99) / 1e6;
    const rate = received / ran;
    const mb = (v: number): number => Math.round(v);
    return [
      { bench: BENCH, name: 'seconds run', value: Math.round(ran), unit: 's' },
      { bench: BENCH, name: 'load lines received', value: received, unit: 'lines' },
      { bench: BENCH, name: 'lines per second received', value: Math.round(rate), unit: 'lines/s', target: `>= ${LOAD_LINES_PER_SECOND * 0.95}`, ok: rate >= LOAD_LINES_PER_SECOND * 0.95 },
      { bench: BENCH, name: 'load lines lost', value: lost, unit: 'lines', target: '== 0', ok: lost === 0 },
      { bench: BENCH, name: 'load lines repeated', value: repeated, unit: 'lines', target: '== 0', ok: repeated === 0 },
      { bench: BENCH, name: 'event-loop delay p99', value: p99, unit: 'ms', target: '< 50', ok: p99 < 50 },
      { bench: BENCH, name: 'event-loop delay p50', value: delay.percentile(50) / 1e6, unit: 'ms' },
      { bench: BENCH, name: 'machine load average (1 min) during the run', value: load.reduce((a, b) => a + b, 0) / load.length, unit: `on ${os.cpus().length} cores` },
      { bench: BENCH, name: 'rss at the start (after a full GC)', value: mb(first.rssMb), unit: 'MB' },
      { bench: BENCH, name: 'rss at half time', value: mb(rssAtHalf), unit: 'MB' },
      { bench: BENCH, name: 'rss at the end', value: mb(last.rssMb), unit: 'MB' },
      { bench: BENCH, name: 'rss peak', value: mb(Math.max(...samples.map((s) => s.rssMb))), unit: 'MB' },
      { bench: BENCH, name: 'rss growth over the second half (trend)', value: rssGrowth, unit: 'MB', target: `< ${MAX_RSS_GROWTH_SECOND_HALF_MB}`, ok: rssGrowth < MAX_RSS_GROWTH_SECOND_HALF_MB },
      { bench: BENCH, name: 'live heap slope over the second half', value: heapSlope, unit: `MB/min (${secondHalf.length} forced GCs)`, target: `<= ${MAX_LIVE_HEAP_SLOPE_MB_PER_MIN}`, ok: heapSlope <= MAX_LIVE_HEAP_SLOPE_MB_PER_MIN },
      { bench: BENCH, name: 'live heap at the start / at the end', value: mb(last.liveHeapMb), unit: `MB (start ${mb(first.liveHeapMb)} MB)` },
      { bench: BENCH, name: 'buffers and external memory at the end', value: mb(last.externalMb), unit: `MB (start ${mb(first.externalMb)} MB)` },
      { bench: BENCH, name: 'major GCs V8 ran by itself', value: naturalMajorGcs, unit: `(plus ${samples.length} forced for sampling)` },
      { bench: BENCH, name: 'highlights computed (healthy load: none expected)', value: highlighted, unit: 'marks' },
    ];
  } finally {
    await sim.stop();
  }
}
