/**
 * Benchmark for `mesh-doctor correlate`: streams a large mixed log (two pods' application and
 * sidecar lines, `kubectl logs --prefix` style, with incidents among the noise) from disk and
 * reports throughput as a ratio to `grep -c 'connect timeout'` on the same file in the same run,
 * peak memory (the run's own process's high-water RSS), and the precision/recall of the matches against the generator's labels.
 *
 *   npm run bench -- --only correlate                 (size from MESH_DOCTOR_BENCH_CORRELATE_MB, default 1024)
 *   node out/test/bench/correlate.js [--size MB]
 * The generated file is kept in the temp directory and reused by later runs of the same size.
 */

import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { correlateText } from '../../src/core/correlate/index';
import type { CorrelateRunResult } from './correlateRun';
import { SeededRandom } from '../corpus/random';
import { generateCorpus, IncidentWriter, SCENARIOS, type NoiseMix, type PodLayouts } from '../corpus/generator';
import { ScoreTally, type CorpusScore } from '../corpus/score';
import { formatFigure, type BenchFigure } from './harness';

export interface CorrelateBenchResult {
  readonly file: string;
  readonly megabytes: number;
  readonly correlateMBps: number;
  readonly grepMBps: number;
  /** correlate ÷ grep (wall clock); the target is at least 0.33. */
  readonly ratioToGrep: number;
  /** The same ratio on CPU time, which other workers on the machine do not distort. */
  readonly cpuRatioToGrep: number;
  readonly peakRssMB: number;
  readonly resets: number;
  readonly explained: number;
  readonly linesRead: number;
}

const PODS: readonly [string, PodLayouts][] = [
  ['checkout-5d8f-x1', { envoy: 'istio-1.17', access: 'text-http', app: 'logback' }],
  ['checkout-5d8f-y2', { envoy: 'istio-1.5', access: 'text-tcp', app: 'logstash-json' }],
];
const BLOCK_MS = 40_000;
/**
 * What a day of a busy pod's logs looks like: mostly application records and access-log lines,
 * some Envoy debug output, a few whole connections logged at debug level, and the incidents.
 */
const BENCH_NOISE: NoiseMix = { appInfo: 0.6, nearMiss: 0.02, connection: 0.004, request: 0.3 };

/** Writes `megabytes` of log (deterministic), via a temporary name so an interrupted run leaves no partial file. */
async function generateLog(file: string, megabytes: number): Promise<void> {
  const target = megabytes * 1024 * 1024;
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  const rng = new SeededRandom(20200529);
  let written = 0;
  let t = Date.UTC(2020, 4, 29, 22, 0, 0);
  while (written < target) {
    // One block: an incident on one pod among plenty of ordinary traffic on both.
    const writer = new IncidentWriter(rng, 0);
    const [pod, layouts] = rng.pick(PODS);
    writer.incident(pod, layouts, t + BLOCK_MS / 2, rng.pick(SCENARIOS));
    for (const [p, l] of PODS) writer.noise(p, l, t, t + BLOCK_MS, 1000, BENCH_NOISE);
    const entries = writer.entries.sort((a, b) => a.timeMs - b.timeMs);
    let text = '';
    for (const e of entries) {
      const prefix = `[pod/${e.pod}/${e.side === 'app' ? 'app' : 'istio-proxy'}] `;
      for (const line of e.lines) text += prefix + line + '\n';
    }
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
    t += BLOCK_MS;
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
}

interface Timing {
  readonly wallSeconds: number;
  /** User + system CPU time: unaffected by other processes competing for the cores. */
  readonly cpuSeconds: number;
}

/** Times `grep -c 'connect timeout' FILE` (wall clock, and CPU time as bash's `time` reports it). */
function timeGrep(file: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    // Output goes to a pipe: GNU grep stops at the first match when its output is /dev/null.
    const script = 'TIMEFORMAT="%3U %3S"; time grep -c "connect timeout" "$1" || [ $? -eq 1 ]';
    execFile('bash', ['-c', script, 'bash', file], (error, _stdout, stderr) => {
      const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      const [user, system] = stderr.trim().split(/\s+/).map(Number);
      if (error || user === undefined || system === undefined || Number.isNaN(user + system)) reject(new Error(`grep failed: ${error?.message ?? stderr}`));
      else resolve({ wallSeconds, cpuSeconds: user + system });
    });
  });
}

/** The streaming run happens in a fresh process: the bench's own heap (other benchmarks, the corpus) must not count as its memory. */
function runInOwnProcess(file: string): Promise<CorrelateRunResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'correlateRun.js'), file], (error, stdout, stderr) => {
      if (error) reject(new Error(`correlate run failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as CorrelateRunResult);
    });
  });
}

export async function runCorrelateBench(megabytes: number): Promise<CorrelateBenchResult> {
  const dir = path.join(os.tmpdir(), 'mesh-doctor-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `correlate-${megabytes}MB.log`);
  if (!existsSync(file)) await generateLog(file, megabytes);
  const bytes = statSync(file).size;
  // Warm the page cache for both contenders alike.
  await timeGrep(file);
  const grep = await timeGrep(file);
  const run = await runInOwnProcess(file);
  const mb = bytes / (1024 * 1024);
  return {
    file,
    megabytes: Math.round(mb),
    correlateMBps: mb / run.seconds,
    grepMBps: mb / grep.wallSeconds,
    ratioToGrep: grep.wallSeconds / run.seconds,
    cpuRatioToGrep: grep.cpuSeconds / run.cpuSeconds,
    peakRssMB: run.peakRssMB,
    resets: run.resets,
    explained: run.explained,
    linesRead: run.linesRead,
  };
}

/** Precision and recall of reset-to-Envoy-line matches on a labelled corpus (every layout and near miss). */
export function scoreCorpus(): CorpusScore {
  const tally = new ScoreTally();
  for (const c of generateCorpus(2020, 60, 12)) {
    tally.add(c.name, c.labels, correlateText(c.files, { windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds }));
  }
  return tally.score();
}

const DEFAULT_MEGABYTES = 1024;

/** For `npm run bench`: the throughput ratio, peak memory and corpus accuracy as figures with targets. */
export async function runCorrelateBenchFigures(megabytes = Number(process.env.MESH_DOCTOR_BENCH_CORRELATE_MB ?? DEFAULT_MEGABYTES)): Promise<BenchFigure[]> {
  const r = await runCorrelateBench(megabytes > 0 ? megabytes : DEFAULT_MEGABYTES);
  const score = scoreCorpus();
  const bench = 'correlate';
  return [
    { bench, name: 'corpus precision (reset-to-Envoy-line matches)', value: score.precision, unit: '', target: '>= 0.95', ok: score.precision >= 0.95 },
    { bench, name: 'corpus recall (reset-to-Envoy-line matches)', value: score.recall, unit: '', target: '>= 0.95', ok: score.recall >= 0.95 },
    { bench, name: `throughput on ${r.megabytes} MB (${r.resets} resets, ${r.explained} explained)`, value: r.correlateMBps, unit: 'MB/s' },
    { bench, name: 'throughput ratio to grep -c (wall clock)', value: r.ratioToGrep, unit: '', target: '>= 0.33', ok: r.ratioToGrep >= 0.33 },
    { bench, name: 'throughput ratio to grep -c (CPU time)', value: r.cpuRatioToGrep, unit: '' },
    { bench, name: `peak RSS streaming ${r.megabytes} MB`, value: r.peakRssMB, unit: 'MB', target: '< 200', ok: r.peakRssMB < 200 },
  ];
}

if (require.main === module) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: String(DEFAULT_MEGABYTES) } } });
  const size = Number(values.size);
  if (!(size > 0)) {
    console.error(`--size ${values.size}: expected a positive number of megabytes`);
    process.exit(2);
  }
  runCorrelateBenchFigures(size).then(
    (figures) => figures.forEach((f) => console.log(formatFigure(f))),
    (e: unknown) => {
      console.error(`correlate bench failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
