/**
 * The realistic corpus (test/fixtures/realistic/logs: cases rebuilt from public issue threads and
 * Envoy/Istio source texts, not from our generator), run through the real CLI as a user runs it.
 * Shared by its unit test and the correlate bench.
 */

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExpectedFinding, ScoredFinding } from './causeScore';

export interface RealisticCase {
  readonly id: string;
  readonly files: readonly string[];
  readonly clockOffsetSeconds: number;
  readonly windowSeconds?: number;
  readonly expected: readonly ExpectedFinding[];
  readonly notAFinding?: readonly { file: string; line: number; why: string }[];
}

export interface ReportedFinding extends ScoredFinding {
  readonly fix: { setting: string; default: string; docs: string; advice: string } | null;
}

/** This module is compiled to out/test/corpus: the repository is three folders up. */
const REPO_ROOT = path.resolve(__dirname, '../../..');
const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'realistic', 'logs');
const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli.js');

export function readRealisticCases(): RealisticCase[] {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases.json'), 'utf8')) as RealisticCase[];
}

/** One case through `mesh-doctor correlate --format json`, file names reported as the case names them. */
export function runRealisticCase(c: RealisticCase): Promise<ReportedFinding[]> {
  const dir = path.join(CORPUS, 'cases', c.id);
  const args = [CLI, 'correlate', '--format', 'json', '--clock-offset', String(c.clockOffsetSeconds), ...(c.windowSeconds ? ['--window', String(c.windowSeconds)] : []), ...c.files];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: dir, timeout: 60_000 }, (error, stdout) => {
      if (error) reject(new Error(`${c.id}: ${error.message}`));
      else resolve((JSON.parse(stdout) as { resets: ReportedFinding[] }).resets.map((r) => ({ ...r, file: path.basename(r.file) })));
    });
  });
}
