/**
 * `npm run bench`: runs every registered benchmark (or `--only NAME`, repeatable), prints each
 * figure, writes out/bench-results.json, and exits 1 when a figure misses its target.
 */

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatFigure, writeResults, type BenchFigure } from './harness';

/** Add a benchmark with one line here. */
const BENCHES: Readonly<Record<string, () => Promise<BenchFigure[]>>> = {
  lint: async () => (await import('./lint.js')).runLintBench(),
  explorer: async () => (await import('./explorer.js')).runExplorerBench(),
  badges: async () => (await import('./badges.js')).runBadgesBench(),
  logging: async () => (await import('./logging.js')).runLoggingBench(),
  tail: async () => (await import('./tail.js')).runTailBench(),
  correlate: async () => (await import('./correlate.js')).runCorrelateBenchFigures(),
  diagnose: async () => (await import('./diagnose.js')).runDiagnoseBench(),
  activation: async () => (await import('./activation.js')).runActivationBench(),
  overview: async () => (await import('./overview.js')).runOverviewBench(),
};

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string', multiple: true } } });
  const names = values.only ?? Object.keys(BENCHES);
  const unknown = names.filter((n) => !Object.prototype.hasOwnProperty.call(BENCHES, n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
    return 2;
  }
  const figures: BenchFigure[] = [];
  for (const name of names) {
    for (const figure of await BENCHES[name]()) {
      process.stdout.write(`${formatFigure(figure)}\n`);
      figures.push(figure);
    }
  }
  const file = writeResults(figures, path.resolve(__dirname, '../../..'));
  process.stdout.write(`figures written to ${file}\n`);
  return figures.some((f) => f.ok === false) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
