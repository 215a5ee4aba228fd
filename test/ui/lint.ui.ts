import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { closePrimarySideBar, runCommand } from '../host/workbenchActions';

/**
 * Opens the incident manifest through Quick Open, as a user would, and checks that the low
 * connect timeout's code lens is on screen. Driven by the lead's Playwright harness.
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  const fileName = 'mesh-operator.yaml';
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  // Focus the workbench first so the shortcut goes to it, not to a welcome page or the browser.
  await page.locator('.monaco-workbench').click({ position: { x: 400, y: 5 } });
  const quickInput = page.locator('.quick-input-widget input');
  // A restored layout may split the editor area; one group shows the whole lens in the screenshot.
  await page.keyboard.press('F1');
  await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput.fill('>View: Close All Editor Groups');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Close All Editor Groups' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await quickInput.waitFor({ state: 'hidden', timeout: 15_000 });

  await page.keyboard.press('Control+P');
  await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput.fill(`lint/${fileName}`);
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first();
  await pick.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');

  await page.locator('.tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: 15_000 });
  // Matched by its text as a whole: lenses are redrawn when the workspace index finishes, so a lens
  // found first and read afterwards may already have been replaced (and read as "").
  const lens = page.locator('.codelens-decoration', { hasText: /connectTimeout 1s is below 10s/ }).first();
  try {
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    const shown = await page.locator('.codelens-decoration').allInnerTexts();
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'lint-failed.png') });
    throw new Error(`no code lens saying "connectTimeout 1s is below 10s" above the connect timeout in ${fileName}; lenses on screen: ${JSON.stringify(shown)}`);
  }
  const raise = page.locator('.codelens-decoration', { hasText: /Raise to 10s/ });
  if ((await raise.count()) === 0) throw new Error('no "Raise to 10s" lens next to the finding');
  // The workspace index scans in the background; once it has, the line also names the overriding rule.
  // One lens per rule, or one lens counting them once the workspace holds more than three.
  const overridden = page.locator('.codelens-decoration', { hasText: /Overridden (for idp\.example\.com by DestinationRule idp|by \d+ DestinationRules for .*idp\.example\.com)/ });
  try {
    await overridden.first().waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    throw new Error(`no precedence lens for idp-dr.yaml on the mesh-wide value; lens line reads ${JSON.stringify(await lens.innerText())}`);
  }
  // The README's picture: the editor at full width, with the Problems panel below it.
  await closePrimarySideBar(page);
  await runCommand(page, 'Focus on Problems View');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'below the 10s minimum' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.screenshot({ path: path.join(ctx.screenshotDir, 'lint.png') });
}
