/**
 * `npm test`: every suite, in the order that fails fastest — unit tests on plain Node, integration
 * tests in the real VS Code workbench, UI tests driving that workbench with Playwright, and the
 * packaged .vsix installed into the host. The last line sums them all as `N passed, N failed`.
 * MESH_DOCTOR_SUITES=unit,integration narrows the run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertChromium } from './host/browser';
import { ensureTestHost } from './host/install';
import { repoRoot, resultsDir, workspaceDir } from './host/paths';
import { printOutcomes, runVsCodeSuite, type SuiteResult } from './host/suite';
import { runUiSuite } from './host/uiSuite';
import { startStandIn } from './standin';
import { startStandInPrometheus, type StandInPrometheus, waitForScrapes } from './standin/prometheus';

const wanted = new Set((process.env.MESH_DOCTOR_SUITES ?? 'unit,integration,ui,vsix').split(','));

function runUnit(): SuiteResult {
  const statsFile = path.join(os.tmpdir(), `mesh-doctor-unit-${process.pid}.json`);
  spawnSync(process.execPath, [path.join(__dirname, 'host', 'runUnit.js'), statsFile], { stdio: 'inherit', cwd: repoRoot });
  const stats = fs.existsSync(statsFile)
    ? (JSON.parse(fs.readFileSync(statsFile, 'utf8')) as { passed: number; failed: number })
    : { passed: 0, failed: 1 };
  fs.rmSync(statsFile, { force: true });
  const result = { name: 'unit', ...stats, outcomes: [] };
  console.log(`unit: ${result.passed} passed, ${result.failed} failed`);
  return result;
}

/** The same packaging as `npm run package` (its flags are read from package.json, so the two agree). */
function packageVsix(): string {
  const out = path.join(resultsDir, 'mesh-doctor.vsix');
  const script = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.package;
  const flags = /vsce package (.*?) --out/.exec(script)?.[1].split(/\s+/) ?? [];
  const res = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce'), 'package', ...flags, '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`vsce package failed:\n${res.stdout}\n${res.stderr}`);
  return out;
}

async function main(): Promise<number> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const needsHost = ['integration', 'ui', 'vsix'].some((s) => wanted.has(s));
  // Before anything slow: a machine without Chromium is told what to install, not made to wait.
  if (needsHost) assertChromium();
  const results: SuiteResult[] = [];
  if (wanted.has('unit')) results.push(runUnit());
  if (needsHost) await ensureTestHost();
  const integrationIndex = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  if (wanted.has('integration')) {
    const r = await runVsCodeSuite({ name: 'integration', testsPath: integrationIndex, workspace: workspaceDir });
    printOutcomes(r);
    results.push(r);
  }
  if (wanted.has('ui')) {
    // The screenshots show the incident: the UI suite's workbench is connected to the stand-in, on
    // the demo profile (access log on, cluster stats exported) so every highlight has its line.
    // The Mesh Overview asks a real Prometheus scraping that stand-in, once its rates have points behind them.
    const standIn = await startStandIn({ scenario: 'incident', profile: 'demo', contextName: 'standin-incident' });
    let prometheus: StandInPrometheus | undefined;
    try {
      prometheus = await startStandInPrometheus(standIn.model);
      await waitForScrapes(prometheus, 10);
      const r = await runUiSuite({
        settings: { 'meshDoctor.kubeconfig': standIn.kubeconfigPath, 'meshDoctor.prometheus.url': prometheus.url },
        env: { MESH_DOCTOR_TEST_KUBECONFIG: standIn.kubeconfigPath },
      });
      printOutcomes(r);
      results.push(r);
    } finally {
      await prometheus?.close();
      await standIn.close();
    }
  }
  if (wanted.has('vsix')) {
    let r: SuiteResult;
    try {
      r = await runVsCodeSuite({
        name: 'vsix',
        testsPath: path.join(repoRoot, 'out', 'test', 'vsix', 'index.js'),
        workspace: workspaceDir,
        vsix: packageVsix(),
      });
    } catch (err) {
      // A package that cannot be made is the vsix suite's failure, not a reason to lose the others' counts.
      const error = err instanceof Error ? err.message : String(err);
      r = { name: 'vsix', passed: 0, failed: 1, outcomes: [{ title: 'vsix package', state: 'failed', durationMs: 0, error }] };
    }
    printOutcomes(r);
    results.push(r);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(results.map((r) => `${r.name} ${r.passed}/${r.passed + r.failed}`).join(' · '));
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
