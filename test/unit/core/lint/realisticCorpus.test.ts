/**
 * Scores `mesh-doctor lint --format json` on the labelled realistic corpus
 * (test/fixtures/realistic/config): every case runs through the real CLI in its own process, and
 * per rule code the found/expected/false counts give precision and recall. The floor below only
 * rises: a change that loses a true finding or adds a false one fails here, with the list.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const CORPUS = path.join(REPO_ROOT, 'test/fixtures/realistic/config');
const CLI = path.join(REPO_ROOT, 'out/src/cli.js');

interface Expected { file: string; line: number; code: string }
interface Forbidden { file: string; line?: number; code?: string; why: string }
interface Case { id: string; root: string; args: string[]; expected: Expected[]; mustNotFind: Forbidden[] }
interface Row { file: string; line: number; code: string }

/** Current floor per code: [true positives at least, false positives at most]. Raise as the linter improves. */
const FLOOR = { truePositives: 65, falsePositives: 0 };

function lintCase(c: Case): { rows: Row[]; problem: string | null } {
  const run = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', '--allow-unchecked', ...c.args, '.'], {
    cwd: path.join(CORPUS, c.root), encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024,
  });
  try {
    const parsed = JSON.parse(run.stdout) as unknown;
    const list = Array.isArray(parsed) ? parsed : (parsed as { findings?: unknown[] }).findings ?? [];
    return { rows: (list as Row[]).map((r) => ({ file: r.file.split(path.sep).join('/'), line: r.line, code: r.code })), problem: null };
  } catch {
    return { rows: [], problem: `exit ${String(run.status)}: ${run.stderr.slice(0, 300)}` };
  }
}

const same = (a: Row | Expected, b: Row | Expected): boolean => a.file === b.file && a.line === b.line && a.code === b.code;
const show = (id: string, r: Row | Expected): string => `${id}: ${r.file}:${r.line} ${r.code}`;

describe('realistic corpus score (mesh-doctor lint --format json)', function () {
  this.timeout(600_000);
  it('reports per-code precision and recall and stays above the floor', () => {
    const cases = JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases.json'), 'utf8')) as Case[];
    const perCode = new Map<string, { tp: number; fp: number; fn: number }>();
    const tally = (code: string) => perCode.get(code) ?? perCode.set(code, { tp: 0, fp: 0, fn: 0 }).get(code)!;
    const missing: string[] = [];
    const falseFindings: string[] = [];
    const forbiddenHits: string[] = [];
    for (const c of cases) {
      const { rows, problem } = lintCase(c);
      if (problem !== null) falseFindings.push(`${c.id}: no JSON (${problem})`);
      for (const e of c.expected) {
        if (rows.some((r) => same(r, e))) tally(e.code).tp++;
        else { tally(e.code).fn++; missing.push(show(c.id, e)); }
      }
      for (const r of rows) {
        if (c.expected.some((e) => same(r, e))) continue;
        tally(r.code).fp++;
        falseFindings.push(show(c.id, r));
        const rule = c.mustNotFind.find((m) => m.file === r.file && (m.code === undefined || m.code === r.code) && (m.line === undefined || m.line === r.line));
        if (rule !== undefined) forbiddenHits.push(`${show(c.id, r)} (${rule.why})`);
      }
    }
    const lines = [...perCode.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, { tp, fp, fn }]) => {
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      return `  ${code.padEnd(32)} tp ${String(tp).padStart(3)} fp ${String(fp).padStart(3)} fn ${String(fn).padStart(3)}  precision ${precision.toFixed(2)} recall ${recall.toFixed(2)}`;
    });
    const tp = [...perCode.values()].reduce((s, v) => s + v.tp, 0);
    const fp = [...perCode.values()].reduce((s, v) => s + v.fp, 0);
    const report = [
      `realistic corpus: ${tp} true, ${fp} false, ${missing.length} missing`,
      ...lines,
      ...missing.map((m) => `  missing ${m}`),
      ...falseFindings.map((m) => `  false   ${m}`),
      ...forbiddenHits.map((m) => `  forbidden ${m}`),
    ].join('\n');
    if (process.env.MESH_DOCTOR_CORPUS_REPORT !== undefined) fs.writeFileSync(process.env.MESH_DOCTOR_CORPUS_REPORT, report);
    console.log(report);
    assert.ok(tp >= FLOOR.truePositives, `true findings fell below ${FLOOR.truePositives}\n${report}`);
    assert.ok(fp <= FLOOR.falsePositives, `false findings rose above ${FLOOR.falsePositives}\n${report}`);
  });
});
