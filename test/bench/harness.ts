/**
 * Shared by every benchmark: median timings taken in alternation (so a busy machine slows every
 * contender alike and ratios stay meaningful), one printed line per figure, and the figures
 * collected in out/bench-results.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
/**
 * A full collection before every timed call: otherwise one contender pays, at a random moment, for
 * the garbage the other left behind (tens of megabytes of parsed JSON here), and medians drift.
 * Memory figures call it too, so they read the live heap rather than wherever the sawtooth stood.
 */
export const collectGarbage = vm.runInNewContext('gc') as () => void;

export interface BenchFigure {
  /** Which benchmark produced it, e.g. `lint`. */
  readonly bench: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The figure's target as text (`<= 1.5`), when it has one. */
  readonly target?: string;
  /** Whether the target was met; absent when there is no target. */
  readonly ok?: boolean;
}

export interface MeasureOptions {
  /** Rounds run before timing, to let the JIT settle. */
  readonly warmup?: number;
  readonly runs?: number;
}

/**
 * Runs each function `runs` times after `warmup` rounds, taking turns within each round (each
 * awaited before the next starts), and returns each one's median duration in milliseconds.
 */
export async function medianMilliseconds<K extends string>(contenders: Record<K, () => unknown>, options: MeasureOptions = {}): Promise<Record<K, number>> {
  const { warmup = 2, runs = 9 } = options;
  const names = Object.keys(contenders) as K[];
  const samples = new Map<K, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const name of names) {
      collectGarbage();
      const start = process.hrtime.bigint();
      await contenders[name]();
      if (round >= warmup) samples.get(name)?.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const medians = {} as Record<K, number>;
  for (const name of names) medians[name] = median(samples.get(name) ?? []);
  return medians;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One line per figure: `lint  ratio to bare parse  1.02  (target <= 1.5: ok)`. */
export function formatFigure(f: BenchFigure): string {
  const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(3);
  const target = f.target === undefined ? '' : `  (target ${f.target}: ${f.ok ? 'ok' : 'MISSED'})`;
  return `${f.bench.padEnd(10)} ${f.name.padEnd(50)} ${value} ${f.unit}${target}`;
}

/** Writes the run's figures to out/bench-results.json (the repository's build output folder). */
export function writeResults(figures: readonly BenchFigure[], repoRoot: string): string {
  const file = path.join(repoRoot, 'out', 'bench-results.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  return file;
}
