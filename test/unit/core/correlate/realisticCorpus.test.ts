import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './fixtures';

/**
 * The realistic corpus (test/fixtures/realistic/logs: cases rebuilt from public issue threads and
 * Envoy/Istio source texts, not from our generator) through the real CLI, as a user runs it.
 * Every cause must reach precision and recall of 0.95, and no line listed as "not a finding"
 * (Caused-by lines, agent lines quoting resets, xDS warnings, app-produced 503s) may be reported.
 */

interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly cause: string;
}

interface CorpusCase {
  readonly id: string;
  readonly files: readonly string[];
  readonly clockOffsetSeconds: number;
  readonly windowSeconds?: number;
  readonly expected: readonly ExpectedFinding[];
  readonly notAFinding?: readonly { file: string; line: number; why: string }[];
}

interface Reported {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly cause: string;
  readonly fix: { setting: string; default: string; docs: string; advice: string } | null;
  readonly explanation: string;
}

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'realistic', 'logs');
const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli.js');
const TARGET = 0.95;

function runCase(c: CorpusCase): Promise<Reported[]> {
  const dir = path.join(CORPUS, 'cases', c.id);
  const args = [CLI, 'correlate', '--format', 'json', '--clock-offset', String(c.clockOffsetSeconds), ...(c.windowSeconds ? ['--window', String(c.windowSeconds)] : []), ...c.files];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: dir, timeout: 60_000 }, (error, stdout) => {
      if (error) reject(new Error(`${c.id}: ${error.message}`));
      else resolve((JSON.parse(stdout) as { resets: Reported[] }).resets.map((r) => ({ ...r, file: path.basename(r.file) })));
    });
  });
}

class CauseTally {
  private readonly counts = new Map<string, { tp: number; fp: number; fn: number }>();

  private of(cause: string): { tp: number; fp: number; fn: number } {
    let c = this.counts.get(cause);
    if (!c) this.counts.set(cause, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  }

  add(expected: readonly ExpectedFinding[], reported: readonly Reported[]): string[] {
    const mistakes: string[] = [];
    for (const e of expected) {
      const r = reported.find((x) => x.file === e.file && x.line === e.line);
      if (r && r.cause === e.cause && r.kind === e.kind) this.of(e.cause).tp++;
      else {
        this.of(e.cause).fn++;
        if (r) this.of(r.cause).fp++;
        mistakes.push(`${e.file}:${e.line} expected ${e.kind} ${e.cause}, got ${r ? `${r.kind} ${r.cause} (${r.explanation})` : 'nothing'}`);
      }
    }
    for (const r of reported) {
      if (!expected.some((e) => e.file === r.file && e.line === r.line)) {
        this.of(r.cause).fp++;
        mistakes.push(`${r.file}:${r.line} reported ${r.cause} but not expected`);
      }
    }
    return mistakes;
  }

  rates(): Map<string, { precision: number; recall: number }> {
    const rates = new Map<string, { precision: number; recall: number }>();
    for (const [cause, { tp, fp, fn }] of this.counts) rates.set(cause, { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) });
    return rates;
  }
}

describe('realistic log corpus through the CLI', function () {
  this.timeout(300_000);
  const cases = JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases.json'), 'utf8')) as CorpusCase[];

  it(`explains every cause with precision and recall of at least ${TARGET}, and reports no near miss`, async () => {
    const tally = new CauseTally();
    const mistakes: string[] = [];
    for (const c of cases) {
      const reported = await runCase(c);
      mistakes.push(...tally.add(c.expected, reported).map((m) => `${c.id}: ${m}`));
      for (const n of c.notAFinding ?? []) {
        if (reported.some((r) => r.file === n.file && r.line === n.line)) mistakes.push(`${c.id}: ${n.file}:${n.line} reported, but ${n.why}`);
      }
      for (const r of reported) {
        if (r.cause === 'unexplained') assert.equal(r.fix, null, `${c.id}: an unexplained finding has no fix`);
        else assert.ok(r.fix && r.fix.setting && r.fix.default && /^https:\/\/(?:istio\.io|www\.envoyproxy\.io)\//.test(r.fix.docs) && r.fix.advice, `${c.id}: ${r.cause} has a complete fix`);
      }
    }
    const rates = tally.rates();
    assert.equal(rates.size, 13, 'every cause is in the corpus');
    const low = [...rates].filter(([, r]) => r.precision < TARGET || r.recall < TARGET).map(([cause, r]) => `${cause}: precision ${r.precision.toFixed(2)}, recall ${r.recall.toFixed(2)}`);
    assert.deepEqual(low, [], mistakes.join('\n'));
    assert.deepEqual(mistakes.filter((m) => m.includes('reported, but')), []);
  });
});
