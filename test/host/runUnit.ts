/**
 * Runs the unit tests (plain Node, no VS Code) in a process of their own and writes mocha's
 * totals to the file named by argv[2], so the top-level runner can add them to the other suites'.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { repoRoot } from './paths';

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? findTests(p) : e.name.endsWith('.test.js') ? [p] : [];
  });
}

const statsFile = process.argv[2];
const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, reporter: 'spec', grep: process.env.MESH_DOCTOR_TEST_GREP || undefined });
for (const f of findTests(path.join(repoRoot, 'out', 'test', 'unit')).sort()) mocha.addFile(f);
const runner = mocha.run((failures) => {
  const stats = runner.stats ?? { passes: 0, failures };
  if (statsFile) fs.writeFileSync(statsFile, JSON.stringify({ passed: stats.passes, failed: stats.failures }));
  // Unit tests must not leave servers or timers behind, but a stray handle must not hang CI.
  setTimeout(() => process.exit(failures > 0 ? 1 : 0), 500).unref();
});
