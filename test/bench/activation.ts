/**
 * Start-up: the activation time VS Code itself records for Mesh Doctor, read from the real
 * workbench's "Developer: Show Running Extensions" view after opening an Istio manifest (the
 * event that activates it). Also checks, from the same view, what activated it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../host/browser';
import { startCodeServer, workbenchUrl } from '../host/codeServer';
import { ensureTestHost } from '../host/install';
import { repoRoot, workspaceDir } from '../host/paths';
import { waitForWorkbench } from '../host/uiSuite';
import { openFile, runCommand } from '../host/workbenchActions';
import { median, type BenchFigure } from './harness';

const RUNS = 3;

async function activationOnce(): Promise<{ ms: number; othersMedian: number; row: string }> {
  const host = await ensureTestHost();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-activation-'));
  const server = await startCodeServer({ host, userDataDir: path.join(scratch, 'u'), extensionsDir: path.join(scratch, 'e') });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(workbenchUrl(server, workspaceDir, { extensionDevelopmentPath: repoRoot }));
    await waitForWorkbench(page);
    await openFile(page, 'vsix/istio-operator.yaml');
    await page.locator('.codelens-decoration', { hasText: 'below' }).first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'Developer: Show Running Extensions');
    // Loaded from a development path, the row shows the extension's id rather than its display name.
    const row = page.locator('.monaco-list-row', { hasText: /Mesh Doctor for Istio|mesh-doctor\.mesh-doctor/ }).first();
    await row.waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      await page.screenshot({ path: path.join(os.tmpdir(), 'mesh-doctor-activation-failed.png') });
      throw err;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = await row.innerText();
      const m = /(\d+)\s*ms/.exec(text);
      if (m) {
        const others = (await page.locator('.monaco-list-row').allInnerTexts())
          .filter((t) => !t.includes('mesh-doctor') && !t.includes('Mesh Doctor'))
          .map((t) => /Activation:\s*(\d+)\s*ms/.exec(t))
          .filter((x): x is RegExpExecArray => x !== null)
          .map((x) => Number(x[1]));
        return { ms: Number(m[1]), othersMedian: median(others), row: text.replace(/\s+/g, ' ') };
      }
      if (Date.now() > deadline) throw new Error(`no activation time in the Running Extensions row: ${text}`);
      await page.waitForTimeout(250);
    }
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export async function runActivationBench(): Promise<BenchFigure[]> {
  const times: number[] = [];
  const others: number[] = [];
  let row = '';
  for (let i = 0; i < RUNS; i++) {
    const r = await activationOnce();
    times.push(r.ms);
    others.push(r.othersMedian);
    row = r.row;
  }
  const activationMedian = median(times);
  const othersMedian = median(others);
  process.stdout.write(`activation: Running Extensions row: ${row}\n`);
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { activationEvents: string[] };
  const eager = manifest.activationEvents.some((e) => e === '*' || e === 'onStartupFinished');
  return [
    { bench: 'activation', name: 'activation time recorded by VS Code (median of 3)', value: activationMedian, unit: 'ms' },
    { bench: 'activation', name: "ratio to the built-in extensions' median, same runs", value: activationMedian / othersMedian, unit: 'x' },
    { bench: 'activation', name: 'activates on * or at start-up', value: eager ? 1 : 0, unit: 'bool', target: '= 0', ok: !eager },
  ];
}
