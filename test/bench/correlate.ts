/**
 * Benchmark for `mesh-doctor correlate`: streams a large mixed log (two pods' application and
 * sidecar lines, `kubectl logs --prefix` style, with incidents among the noise) from disk and
 * reports throughput as a ratio to `grep -c 'connect timeout'` on the same file in the same run
 * (with the scan on a worker thread as the CLI runs it, and with worker threads off), peak memory
 * (the run's own process's high-water RSS), the precision/recall of the matches against the
 * generator's labels, and precision and recall per cause on the generated and realistic corpora.
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
import { correlate } from '../../src/core/correlate/index';
import type { CorrelateRunResult } from './correlateRun';
import { SeededRandom } from '../corpus/random';
import { generateCorpus, IncidentWriter, SCENARIOS, type NoiseMix, type PodLayouts } from '../corpus/generator';
import { ScoreTally, type CorpusScore } from '../corpus/score';
import { CauseTally, type CauseRate } from '../corpus/causeScore';
import { readRealisticCases, runRealisticCase } from '../corpus/realistic';
import { formatFigure, type BenchFigure } from './harness';

export interface CorrelateBenchResult {
  readonly file: string;
  readonly megabytes: number;
  readonly grepMBps: number;
  /** As the CLI runs: relevant lines found on a worker thread. */
  readonly withWorker: RunFigures;
  /** Everything on one thread. */
  readonly withoutWorker: RunFigures;
}

export interface RunFigures {
  readonly correlateMBps: number;
  /** correlate ÷ grep (wall clock, grep timed just before); the target is at least 0.33. */
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
function runInOwnProcess(file: string, worker: boolean): Promise<CorrelateRunResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'correlateRun.js'), ...(worker ? [] : ['--no-worker']), file], (error, stdout, stderr) => {
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
  const mb = bytes / (1024 * 1024);
  let grepSeconds = Infinity;
  // grep is timed just before each run, so both see the machine as it is then.
  const measure = async (worker: boolean): Promise<RunFigures> => {
    const grep = await timeGrep(file);
    grepSeconds = Math.min(grepSeconds, grep.wallSeconds);
    const run = await runInOwnProcess(file, worker);
    return {
      correlateMBps: mb / run.seconds,
      ratioToGrep: grep.wallSeconds / run.seconds,
      cpuRatioToGrep: grep.cpuSeconds / run.cpuSeconds,
      peakRssMB: run.peakRssMB,
      resets: run.resets,
      explained: run.explained,
      linesRead: run.linesRead,
    };
  };
  const withWorker = await measure(true);
  const withoutWorker = await measure(false);
  return { file, megabytes: Math.round(mb), grepMBps: mb / grepSeconds, withWorker, withoutWorker };
}

export interface CorpusScores {
  /** Reset-to-Envoy-line matches on the generated corpus. */
  readonly matches: CorpusScore;
  /** Per cause, by corpus name. */
  readonly causes: ReadonlyMap<string, ReadonlyMap<string, CauseRate>>;
}

/** A file's text as the CLI's streaming byte path reads it, in chunks. */
async function* chunksOf(text: string): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
}

/**
 * The generated labelled corpus (every layout and near miss) through `correlate` as the CLI
 * streams files, and the realistic corpus through the CLI itself.
 */
export async function scoreCorpora(): Promise<CorpusScores> {
  const matches = new ScoreTally();
  const generated = new CauseTally();
  for (const c of generateCorpus(2020, 60, 12)) {
    const inputs = c.files.map((f) => ({ file: f.file, chunks: chunksOf(f.text) }));
    const result = await correlate(inputs, { windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds });
    matches.add(c.name, c.labels, result);
    generated.add(c.labels, result.resets);
  }
  const realistic = new CauseTally();
  for (const c of readRealisticCases()) realistic.add(c.expected, await runRealisticCase(c));
  return { matches: matches.score(), causes: new Map([['generated corpus', generated.rates()], ['realistic corpus', realistic.rates()]]) };
}

const CAUSE_TARGET = 0.95;

/** One figure per cause per corpus: the lower of its precision and recall, both named. */
function causeFigures(bench: string, causes: ReadonlyMap<string, ReadonlyMap<string, CauseRate>>): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const [corpus, rates] of causes) {
    for (const [cause, { precision, recall }] of rates) {
      const value = Math.min(precision, recall);
      figures.push({ bench, name: `${corpus}: ${cause} (P ${precision.toFixed(3)}, R ${recall.toFixed(3)})`, value, unit: '', target: `>= ${CAUSE_TARGET}`, ok: value >= CAUSE_TARGET });
    }
  }
  return figures;
}

const DEFAULT_MEGABYTES = 1024;

/** For `npm run bench`: the throughput ratio, peak memory and corpus accuracy as figures with targets. */
export async function runCorrelateBenchFigures(megabytes = Number(process.env.MESH_DOCTOR_BENCH_CORRELATE_MB ?? DEFAULT_MEGABYTES)): Promise<BenchFigure[]> {
  const r = await runCorrelateBench(megabytes > 0 ? megabytes : DEFAULT_MEGABYTES);
  const { matches, causes } = await scoreCorpora();
  const bench = 'correlate';
  const runFigures = (label: string, f: RunFigures): BenchFigure[] => [
    { bench, name: `throughput on ${r.megabytes} MB, ${label} (${f.resets} resets, ${f.explained} explained)`, value: f.correlateMBps, unit: 'MB/s' },
    { bench, name: `throughput ratio to grep -c, ${label} (wall clock)`, value: f.ratioToGrep, unit: '', target: '>= 0.33', ok: f.ratioToGrep >= 0.33 },
    { bench, name: `throughput ratio to grep -c, ${label} (CPU time)`, value: f.cpuRatioToGrep, unit: '' },
    { bench, name: `peak RSS streaming ${r.megabytes} MB, ${label}`, value: f.peakRssMB, unit: 'MB', target: '< 200', ok: f.peakRssMB < 200 },
  ];
  return [
    { bench, name: 'corpus precision (reset-to-Envoy-line matches)', value: matches.precision, unit: '', target: '>= 0.95', ok: matches.precision >= 0.95 },
    { bench, name: 'corpus recall (reset-to-Envoy-line matches)', value: matches.recall, unit: '', target: '>= 0.95', ok: matches.recall >= 0.95 },
    ...causeFigures(bench, causes),
    { bench, name: `grep -c throughput on ${r.megabytes} MB`, value: r.grepMBps, unit: 'MB/s' },
    ...runFigures('scan on a worker thread', r.withWorker),
    ...runFigures('worker threads off', r.withoutWorker),
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
