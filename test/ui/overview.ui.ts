import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openMeshDoctorContainer, runCommand } from '../host/workbenchActions';

/** Where the side bar ends in the screenshot: wide enough for a row's description, in a 1400 px window. */
const SIDE_BAR_EDGE_X = 720;
const INCIDENT_ROW = /^shop\/checkout → idp\.example\.com.*UF → connect-timeout/s;

/**
 * Opens the Mesh Overview (the UI suite's workbench points `meshDoctor.prometheus.url` at a real
 * Prometheus scraping the incident stand-in) and checks that its first row is checkout's failing
 * calls to the identity provider, UF read as connect-timeout.
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  const failed = async (message: string): Promise<never> => {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'overview-failed.png') });
    throw new Error(message);
  };
  await openMeshDoctorContainer(page);

  const sidebar = page.locator('.part.sidebar');
  const header = sidebar.locator('.pane-header', { hasText: 'Mesh Overview' }).first();
  try {
    await header.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    await failed('the Mesh Doctor container shows no Mesh Overview view');
  }
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();

  // The profile restores earlier tests' editors and side bar width: close the editors, and drag the
  // side bar's edge to where each row's rate, cause and trend are readable, as a user would.
  await runCommand(page, 'View: Close All Editors');
  const box = await sidebar.boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(SIDE_BAR_EDGE_X, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
  }

  const pane = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Mesh Overview' }) });
  const firstRow = pane.locator('.monaco-list-row').first();
  const deadline = Date.now() + 60_000;
  let text = '';
  for (;;) {
    text = (await firstRow.isVisible()) ? await firstRow.innerText() : '';
    if (INCIDENT_ROW.test(text)) break;
    if (Date.now() > deadline) await failed(`the Mesh Overview's first row reads ${JSON.stringify(text)}, expected "shop/checkout → idp.example.com … UF → connect-timeout"`);
    await page.waitForTimeout(500);
  }
  await page.screenshot({ path: path.join(ctx.screenshotDir, 'overview.png') });
}
