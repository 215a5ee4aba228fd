/**
 * One streaming `correlate` of a file, in a process of its own, as the CLI runs it (relevant lines
 * found on a worker thread, resets handed over as decided), or with `--no-worker` all on this
 * thread. Prints one JSON line: its time, CPU time and the process's peak RSS (worker included),
 * so no other benchmark's memory is counted.
 *
 *   node out/test/bench/correlateRun.js [--no-worker] FILE
 */
import { correlate } from '../../src/core/correlate/index';
import type { ResetReport } from '../../src/core/correlate/types';
import { correlateFileInput, fileChunks } from '../../src/cli/correlate';
import { parseArgs } from 'node:util';

export interface CorrelateRunResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMB: number;
  readonly resets: number;
  readonly explained: number;
  readonly linesRead: number;
}

async function main(file: string, worker: boolean): Promise<CorrelateRunResult> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let resets = 0;
  let explained = 0;
  const onReset = (r: ResetReport): void => {
    resets++;
    if (r.cause !== 'unexplained') explained++;
  };
  const input = worker ? correlateFileInput(file, file) : { file, chunks: fileChunks(file) };
  const result = await correlate([input], { windowSeconds: 5, onReset });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    // maxRSS is the kernel's own high-water mark, in kilobytes: no sampling can miss a peak.
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    resets,
    explained,
    linesRead: result.linesRead,
  };
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ options: { 'no-worker': { type: 'boolean', default: false } }, allowPositionals: true });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error('usage: node out/test/bench/correlateRun.js [--no-worker] FILE');
    process.exit(2);
  }
  main(file, !values['no-worker']).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(`correlate run failed: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
