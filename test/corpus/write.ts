/**
 * Writes a labelled corpus to disk, for a look at what the generator makes or to feed
 * `mesh-doctor correlate` by hand:
 *
 *   node out/test/corpus/write.js DIR [--seed N] [--cases N] [--incidents N]
 *
 * Each case gets a folder with its log files and `labels.json` (window, clock offset, and for every
 * reset record its cause and the `file:line` of each Envoy line that explains it).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from './generator';

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} ${value}: expected a positive whole number`);
  return n;
}

export function writeCorpus(dir: string, seed: number, cases: number, incidents: number): string[] {
  const written: string[] = [];
  generateCorpus(seed, cases, incidents).forEach((c, i) => {
    const caseDir = path.join(dir, `case-${String(i + 1).padStart(3, '0')}`);
    mkdirSync(caseDir, { recursive: true });
    for (const f of c.files) writeFileSync(path.join(caseDir, f.file), f.text);
    const labels = { name: c.name, windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds, resets: c.labels };
    writeFileSync(path.join(caseDir, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
    written.push(caseDir);
  });
  return written;
}

if (require.main === module) {
  try {
    const { values, positionals } = parseArgs({
      options: { seed: { type: 'string', default: '1' }, cases: { type: 'string', default: '10' }, incidents: { type: 'string', default: '12' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new Error('give one output folder');
    const dirs = writeCorpus(path.resolve(positionals[0]!), positiveInteger('seed', values.seed), positiveInteger('cases', values.cases), positiveInteger('incidents', values.incidents));
    console.log(`wrote ${dirs.length} cases under ${path.resolve(positionals[0]!)}`);
  } catch (e) {
    console.error(`corpus: ${(e as Error).message}\nusage: node out/test/corpus/write.js DIR [--seed N] [--cases N] [--incidents N]`);
    process.exitCode = 2;
  }
}
