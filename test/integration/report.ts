import * as fs from 'node:fs';
import Mocha from 'mocha';

/** One test's outcome, as written to the report file (one JSON object per line). */
export interface TestOutcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs: number;
  readonly error?: string;
}

/**
 * Inside the workbench, mocha's console goes to the browser, so this reporter writes each outcome
 * to the file named by MESH_DOCTOR_TEST_REPORT as it happens: a crash mid-suite still leaves the
 * outcomes so far.
 */
export function createFileReporter(reportFile: string): typeof Mocha.reporters.Base {
  return class FileReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      fs.writeFileSync(reportFile, '');
      const write = (o: TestOutcome) => fs.appendFileSync(reportFile, JSON.stringify(o) + '\n');
      runner.on('pass', (t) => write({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
      runner.on('fail', (t, err: Error) =>
        write({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: err?.stack ?? String(err) }),
      );
      runner.on('pending', (t) => write({ title: t.fullTitle(), state: 'pending', durationMs: 0 }));
    }
  };
}

export function readReport(reportFile: string): TestOutcome[] {
  if (!fs.existsSync(reportFile)) return [];
  return fs
    .readFileSync(reportFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TestOutcome);
}
