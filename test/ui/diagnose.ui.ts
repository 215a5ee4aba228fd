import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { clickMenuItem, openMeshDoctorContainer, runCommand } from '../host/workbenchActions';

/**
 * Right-clicks the stand-in's incident pod in the Mesh view, picks Diagnose from its context menu
 * and checks the report in the Markdown preview: connect-timeout ranked first, on the 1s
 * identity-provider cluster. The diagnosis samples the pod's stats twice, 10 s apart, so the
 * report takes that long to appear.
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  const failed = async (message: string): Promise<never> => {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'diagnose-failed.png') });
    throw new Error(message);
  };
  // Only the report's preview may be a webview: the profile restores earlier tests' editors.
  await runCommand(page, 'View: Close All Editors');
  await openMeshDoctorContainer(page);

  const sidebar = page.locator('.part.sidebar');
  const row = (text: RegExp): Locator => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  const shop = row(/^shop/);
  try {
    await shop.waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    await failed('the Mesh view did not show the shop namespace within 60 s');
  }
  if ((await shop.getAttribute('aria-expanded')) !== 'true') await shop.click();
  const pod = row(/checkout-/);
  try {
    await pod.waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    await failed('the Mesh view did not show a checkout pod within 60 s');
  }

  // The pod's context menu, as a user opens it; "Diagnose" exactly, not "Diagnose the Workload".
  await pod.click({ button: 'right' });
  const diagnose = page.locator('.context-view .action-item', { has: page.locator('.action-label', { hasText: /^Diagnose$/ }) }).first();
  try {
    await diagnose.waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    await failed('the checkout pod\'s context menu did not offer Diagnose within 15 s');
  }
  await clickMenuItem(page, diagnose);

  // VS Code web hosts a webview in an outer iframe and the page in its inner `active-frame`.
  const preview: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  const firstCause = preview.locator('h3').first();
  try {
    await firstCause.waitFor({ state: 'visible', timeout: 90_000 });
  } catch {
    await failed('the diagnosis report did not appear in the Markdown preview within 90 s');
  }
  const heading = await firstCause.innerText();
  if (!/^1\. connect-timeout\b/.test(heading)) await failed(`the report's first cause reads ${JSON.stringify(heading)}, expected "1. connect-timeout"`);
  const body = await preview.locator('body').innerText();
  if (!body.includes('outbound|443||idp.example.com')) await failed('the report does not name the outbound|443||idp.example.com cluster');
  await page.screenshot({ path: path.join(ctx.screenshotDir, 'diagnose.png') });
}
