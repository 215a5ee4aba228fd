/**
 * Benchmark for `mesh-doctor correlate`: streams a large mixed log (two pods' application and
 * sidecar lines, `kubectl logs --prefix` style, with incidents among the noise) from disk and
 * reports throughput as a ratio to `grep -c 'connect timeout'` on the same file in the same run,
 * peak memory (RSS, sampled), and the precision/recall of the matches against the generator's labels.
 *
 *   node out/test/bench/correlate.js [--size MB]     (default 1024; the file is kept in the temp
 *                                                     directory and reused by later runs)
 */

import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { correlate } from '../../src/core/correlate/index';
import { fileChunks } from '../../src/cli/correlate';
import { SeededRandom } from '../corpus/random';
import { IncidentWriter, SCENARIOS, type NoiseMix, type PodLayouts } from '../corpus/generator';

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

export async function runCorrelateBench(megabytes: number): Promise<CorrelateBenchResult> {
  const dir = path.join(os.tmpdir(), 'mesh-doctor-bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `correlate-${megabytes}MB.log`);
  if (!existsSync(file)) await generateLog(file, megabytes);
  const bytes = statSync(file).size;
  // Warm the page cache for both contenders alike.
  await timeGrep(file);
  const grep = await timeGrep(file);
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await correlate([{ file, chunks: fileChunks(file) }], { windowSeconds: 5 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const mb = bytes / (1024 * 1024);
  return {
    file,
    megabytes: Math.round(mb),
    correlateMBps: mb / seconds,
    grepMBps: mb / grep.wallSeconds,
    ratioToGrep: grep.wallSeconds / seconds,
    cpuRatioToGrep: grep.cpuSeconds / ((cpu.user + cpu.system) / 1e6),
    peakRssMB: peakRss / (1024 * 1024),
    resets: result.resets.length,
    explained: result.resets.filter((r) => r.cause !== 'unexplained').length,
    linesRead: result.linesRead,
  };
}

export function formatCorrelateBench(r: CorrelateBenchResult): string {
  return [
    `correlate: ${r.megabytes} MB (${r.linesRead} lines, ${r.resets} resets, ${r.explained} explained) from ${r.file}`,
    `  throughput ${r.correlateMBps.toFixed(0)} MB/s vs grep -c ${r.grepMBps.toFixed(0)} MB/s: ratio ${r.ratioToGrep.toFixed(2)} (target >= 0.33) ${r.ratioToGrep >= 0.33 ? 'ok' : 'BELOW TARGET'}; on CPU time ${r.cpuRatioToGrep.toFixed(2)}`,
    `  peak RSS ${r.peakRssMB.toFixed(0)} MB (target < 200) ${r.peakRssMB < 200 ? 'ok' : 'ABOVE TARGET'}`,
  ].join('\n');
}

if (require.main === module) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '1024' } } });
  const size = Number(values.size);
  if (!(size > 0)) {
    console.error(`--size ${values.size}: expected a positive number of megabytes`);
    process.exit(2);
  }
  runCorrelateBench(size).then(
    (r) => console.log(formatCorrelateBench(r)),
    (e: unknown) => {
      console.error(`correlate bench failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
