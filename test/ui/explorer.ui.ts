import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openMeshDoctorContainer } from '../host/workbenchActions';

/**
 * Opens the Mesh Doctor container, expands the stand-in's incident pod down to its Envoy clusters
 * and checks that the 1s identity-provider cluster's row leads with `1s ⚠`. Driven by the lead's
 * Playwright harness (the workbench is connected to the stand-in's incident scenario).
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  await openMeshDoctorContainer(page);

  const sidebar = page.locator('.part.sidebar');
  const row = (text: string | RegExp): Locator => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  const expand = async (what: string, locator: Locator) => {
    try {
      await locator.waitFor({ state: 'visible', timeout: 60_000 });
    } catch {
      await page.screenshot({ path: path.join(ctx.screenshotDir, 'explorer-failed.png') });
      throw new Error(`the Mesh view did not show ${what} within 60 s`);
    }
    if ((await locator.getAttribute('aria-expanded')) !== 'true') await locator.click();
  };

  // Widen the side bar so cluster descriptions (type, timeout, counters) are readable, as a user would.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width + 420, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
  }

  // The active context is expanded by default, so its namespaces come first.
  await expand('the shop namespace', row(/^shop/));
  await expand('a checkout pod', row(/checkout-/));
  const cluster = row('outbound|443||idp.example.com');
  try {
    await cluster.waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'explorer-failed.png') });
    throw new Error('the incident pod\'s identity-provider cluster did not appear in the Mesh view within 60 s');
  }
  await cluster.click();
  const text = await cluster.innerText();
  if (!text.startsWith('1s ⚠')) throw new Error(`the identity-provider cluster row reads ${JSON.stringify(text)}, expected it to lead with "1s ⚠"`);
  // Clicking a cluster opens its config as read-only JSON.
  await page.locator('.tab.active', { hasText: 'outbound|443||idp.example.com.json' }).waitFor({ state: 'visible', timeout: 15_000 });
  await page.screenshot({ path: path.join(ctx.screenshotDir, 'explorer.png') });
}
