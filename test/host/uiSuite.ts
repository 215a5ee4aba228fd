/**
 * UI tests: each `out/test/ui/*.ui.js` module exports `run(page, ctx)` and drives the real
 * workbench (extension loaded from the repository) the way a person would. Every module gets a
 * freshly loaded workbench, so one test's editors do not leak into the next.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type TestOutcome } from '../integration/report';
import { launchChromium } from './browser';
import { startCodeServer, workbenchUrl } from './codeServer';
import { ensureTestHost } from './install';
import { repoRoot, resultsDir, screenshotDir, workspaceDir } from './paths';
import { type SuiteResult } from './suite';

export interface UiTestContext {
  readonly workspace: string;
  readonly screenshotDir: string;
}

export type UiTest = (page: Page, ctx: UiTestContext) => Promise<void>;

export interface UiSuiteOptions {
  readonly settings?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

/** Waits until the workbench has restored and the extension host has started. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.statusbar', { timeout: 60_000 });
}

/** A UI test's title in the report: `ui explorer` for `explorer.ui.js`. */
function uiTitle(file: string): string {
  return `ui ${file.replace(/\.ui\.js$/, '')}`;
}

export async function runUiSuite(options: UiSuiteOptions = {}): Promise<SuiteResult> {
  const dir = path.join(repoRoot, 'out', 'test', 'ui');
  // MESH_DOCTOR_TEST_GREP narrows the run to the tests whose title (`ui <name>`) contains it, as in the other suites.
  const grep = process.env.MESH_DOCTOR_TEST_GREP ?? '';
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ui.js') && uiTitle(f).includes(grep)).sort() : [];
  const host = await ensureTestHost();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-ui-'));
  const server = await startCodeServer({
    host,
    userDataDir: path.join(scratch, 'user-data'),
    extensionsDir: path.join(scratch, 'extensions'),
    settings: options.settings,
    env: options.env,
  });
  const browser = await launchChromium();
  fs.mkdirSync(screenshotDir, { recursive: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const outcomes: TestOutcome[] = [];
  try {
    for (const file of files) {
      const title = uiTitle(file);
      const started = Date.now();
      const page = await browser.context.newPage();
      try {
        await page.goto(workbenchUrl(server, workspaceDir, { extensionDevelopmentPath: repoRoot }));
        await waitForWorkbench(page);
        const mod = (await import(path.join(dir, file))) as { run: UiTest };
        await mod.run(page, { workspace: workspaceDir, screenshotDir });
        outcomes.push({ title, state: 'passed', durationMs: Date.now() - started });
      } catch (err) {
        await page.screenshot({ path: path.join(resultsDir, `${file}.failure.png`) }).catch(() => undefined);
        outcomes.push({ title, state: 'failed', durationMs: Date.now() - started, error: err instanceof Error ? err.stack : String(err) });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    fs.writeFileSync(path.join(resultsDir, 'ui-code-server.log'), server.log());
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return {
    name: 'ui',
    passed: outcomes.filter((o) => o.state === 'passed').length,
    failed: outcomes.filter((o) => o.state === 'failed').length,
    outcomes,
  };
}
