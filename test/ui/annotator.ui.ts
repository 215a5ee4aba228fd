import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

/**
 * Opens a log holding the incident plus hostile lines, runs "Annotate Connection resets" from the
 * command palette on the active editor, and checks in the webview that the verdict is shown and
 * that the hostile text stayed text. Driven by the lead's Playwright harness.
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 400, y: 5 } });

  await page.keyboard.press('Control+P');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput.fill('annotator/hostile.log');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'hostile.log' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'hostile.log' }).waitFor({ state: 'visible', timeout: 15_000 });

  await page.keyboard.press('F1');
  await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput.fill('>Annotate Connection resets');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Annotate Connection resets' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Active editor' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput.fill('Active editor');
  await page.keyboard.press('Enter');

  // VS Code web hosts a webview in an outer iframe and the page in its inner `active-frame`.
  const webview: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  const verdict = webview.locator('.reset .verdict').first();
  try {
    await verdict.waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'annotator-failed.png') });
    throw new Error('the annotator webview did not show a reset verdict within 60 s');
  }
  const verdictText = await verdict.innerText();
  if (!/Envoy's connect timeout \(1 s\) to `outbound\|443\|\|cc-api-xxx-xxx\.xxx\.io`/.test(verdictText)) {
    throw new Error(`the verdict reads ${JSON.stringify(verdictText)}, expected Envoy's 1 s connect timeout to the identity cluster`);
  }

  // The hostile text is on screen as characters, not as elements.
  const exception = await webview.locator('.reset .exception').first().innerText();
  if (!exception.includes('<script>alert(1)</script>')) throw new Error(`the exception is not shown as text: ${JSON.stringify(exception)}`);
  const imgs = await webview.locator('img').count();
  if (imgs !== 0) throw new Error(`the webview created ${imgs} <img> element(s) from log text`);
  // VS Code adds its own script to the frame; none may appear inside the rendered content.
  const scripts = await webview.locator('body > :not(script) script').count();
  if (scripts !== 0) throw new Error(`the rendered content holds ${scripts} <script> element(s) made from log text`);
  const accessLog = webview.locator('.event.kind-access-log .log-text').first();
  const accessText = await accessLog.innerText();
  if (!accessText.includes('<img src=x onerror=alert(1)>')) throw new Error('the access-log line with the <img> payload is not shown as text');
  if (!accessText.includes('\\u202E') || accessText.includes('\u202e')) throw new Error('the U+202E override in the access-log line was not made visible');
  if (!/… \(\d{2,3},\d{3} more characters\)/.test(accessText)) throw new Error('the 100 KB access-log line is not truncated with a count of what was left out');
  if ((await webview.locator('a[href^="javascript:"]').count()) !== 0) throw new Error('a javascript: link was created from log text');

  // Keyboard: the reset list is a listbox that takes focus and keeps its selection on arrow keys.
  const list = webview.locator('[role="listbox"]');
  await list.focus();
  await page.keyboard.press('ArrowDown');
  const selected = await webview.locator('[role="option"][aria-selected="true"]').count();
  if (selected !== 1) throw new Error(`after ArrowDown ${selected} reset options are selected, expected exactly 1`);

  await page.screenshot({ path: path.join(ctx.screenshotDir, 'annotator.png') });

  // Enter on the selected reset opens its line (23: the application's error) in the log's editor.
  await page.keyboard.press('Enter');
  try {
    await page.locator('.statusbar-item', { hasText: /Ln 23, Col/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'annotator-failed.png') });
    throw new Error('Enter on the reset did not select line 23 of hostile.log');
  }
  if (dialogs.length > 0) throw new Error(`log text opened a dialog: ${JSON.stringify(dialogs)}`);
}
