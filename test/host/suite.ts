import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { readReport, type TestOutcome } from '../integration/report';
import { repoRoot, resultsDir } from './paths';

export interface SuiteResult {
  readonly name: string;
  readonly passed: number;
  readonly failed: number;
  readonly outcomes: readonly TestOutcome[];
}

export interface VsCodeSuite {
  readonly name: string;
  /** Compiled mocha index run in the extension host. */
  readonly testsPath: string;
  readonly workspace: string;
  /** A packaged extension to install; the repository is then not the development path (see test/vsix/driver). */
  readonly vsix?: string;
  /** Passed to the extension host (and so visible to the tests). */
  readonly env?: Record<string, string>;
  /** User settings for this run. */
  readonly settings?: Record<string, unknown>;
}

const launcher = path.join(repoRoot, 'test', 'host', 'code-launcher');

/** Runs a mocha suite inside the real VS Code workbench and reads back what each test did. */
export async function runVsCodeSuite(suite: VsCodeSuite): Promise<SuiteResult> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const reportFile = path.join(resultsDir, `${suite.name}-report.jsonl`);
  fs.rmSync(reportFile, { force: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `mesh-doctor-${suite.name}-`));
  const launchArgs = [
    suite.workspace,
    `--user-data-dir=${path.join(scratch, 'user-data')}`,
    `--extensions-dir=${path.join(scratch, 'extensions')}`,
    ...(suite.vsix ? [`--install-extension=${suite.vsix}`] : []),
  ];
  let crashed: string | null = null;
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      // VS Code runs extension tests only in a development session: with a .vsix under test, an empty
      // driver extension is that session's development path, so Mesh Doctor comes from the package.
      extensionDevelopmentPath: suite.vsix ? path.join(repoRoot, 'test', 'vsix', 'driver') : repoRoot,
      extensionTestsPath: suite.testsPath,
      launchArgs,
      extensionTestsEnv: {
        ...suite.env,
        MESH_DOCTOR_SUITE: suite.name,
        MESH_DOCTOR_TEST_REPORT: reportFile,
        MESH_DOCTOR_USER_SETTINGS: JSON.stringify(suite.settings ?? {}),
      },
    });
  } catch (err) {
    crashed = err instanceof Error ? err.message : String(err);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const outcomes = readReport(reportFile);
  const passed = outcomes.filter((o) => o.state === 'passed').length;
  let failed = outcomes.filter((o) => o.state === 'failed').length;
  if (crashed && failed === 0) {
    // The host ended badly without a failing test to show for it: count the suite itself.
    failed = 1;
    console.error(`${suite.name}: the run ended with "${crashed}" and no failing test recorded; see test-results/${suite.name}-*.log`);
  }
  return { name: suite.name, passed, failed, outcomes };
}

export function printOutcomes(result: SuiteResult): void {
  for (const o of result.outcomes) {
    const mark = o.state === 'passed' ? '✓' : o.state === 'failed' ? '✗' : '-';
    console.log(`  ${mark} ${o.title} (${o.durationMs} ms)`);
    if (o.error) console.log(o.error.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  console.log(`${result.name}: ${result.passed} passed, ${result.failed} failed`);
}
