import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

const IDP_HEADLINE = '60 resets → connect timeout 1 s to outbound|443||idp.example.com';

/**
 * Runs "Annotate Connection resets" from the command palette on the active editor, twice: on 60
 * identical resets (one group, its cluster in a <code> element, no backticks, opening at full
 * width: screenshot `annotator.png`), then on a log holding the incident plus hostile lines (the
 * hostile text stays text, the keyboard works, Enter opens the reset's line). Driven by the
 * lead's Playwright harness.
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  const quickInput = page.locator('.quick-input-widget input');

  async function annotateFile(name: string): Promise<void> {
    // The title bar: out of the webview, so the workbench gets the keys.
    await page.locator('.monaco-workbench').click({ position: { x: 400, y: 5 } });
    await page.keyboard.press('Control+P');
    await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
    await quickInput.fill(`annotator/${name}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 15_000 });

    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
    await quickInput.fill('>Annotate Connection resets');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Annotate Connection resets' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Active editor' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await quickInput.fill('Active editor');
    await page.keyboard.press('Enter');
  }

  async function failed(message: string): Promise<never> {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'annotator-failed.png') });
    throw new Error(message);
  }

  // VS Code web hosts a webview in an outer iframe and the page in its inner `active-frame`.
  const webview: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');

  // 1. Sixty identical resets: one group that reads like a sentence, with its cluster as code.
  await annotateFile('sixty-resets.log');
  const headline = webview.locator('.group-headline').first();
  try {
    await headline.waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    await failed('the annotator webview did not show a group of resets within 60 s');
  }
  const headlineText = (await headline.innerText()).trim();
  if (headlineText !== IDP_HEADLINE) await failed(`the group header reads ${JSON.stringify(headlineText)}, expected ${JSON.stringify(IDP_HEADLINE)}`);
  const code = await headline.locator('code').allInnerTexts();
  if (code.length !== 1 || code[0] !== 'outbound|443||idp.example.com') await failed(`the cluster is not the one <code> element of the header: ${JSON.stringify(code)}`);
  if ((await webview.locator('.group').count()) !== 1) await failed('60 identical resets are not one group');
  if ((await webview.locator('.group-fix').count()) !== 1) await failed('the group does not show exactly one fix');
  const verdictCode = await webview.locator('.verdict-line code').allInnerTexts();
  if (!verdictCode.includes('outbound|443||idp.example.com')) await failed(`the verdict does not show the cluster as code: ${JSON.stringify(verdictCode)}`);
  const bodyText = await webview.locator('body').innerText();
  if (bodyText.includes('`')) await failed('the panel shows literal backticks');
  // Collapsed by default; the toggle shows the 60 resets.
  if ((await webview.locator('[role="option"]').count()) !== 0) await failed('the resets of a group are shown before it is expanded');
  await webview.locator('.group-toggle').first().click();
  const options = await webview.locator('[role="option"]').count();
  if (options !== 60) await failed(`the expanded group lists ${options} resets, expected 60`);
  // At full width: a tab of the editor group, not a half-width split beside the log.
  const editorPart = await page.locator('.part.editor').boundingBox();
  const frame = await page.locator('iframe.webview.ready').last().boundingBox();
  if (!editorPart || !frame || frame.width < 0.9 * editorPart.width) await failed(`the panel is ${frame?.width} px wide in an editor area of ${editorPart?.width} px`);
  await page.screenshot({ path: path.join(ctx.screenshotDir, 'annotator.png') });

  // 2. The incident with hostile text.
  await annotateFile('hostile.log');
  const hostileHeadline = webview.locator('.group-headline', { hasText: 'cc-api-xxx-xxx.xxx.io' }).first();
  try {
    await hostileHeadline.waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    await failed('the annotator webview did not show the hostile log\'s group within 60 s');
  }
  const verdict = (await webview.locator('.verdict-line').first().innerText()).trim();
  if (!verdict.startsWith("Envoy's connect timeout (1 s) to outbound|443||cc-api-xxx-xxx.xxx.io")) {
    await failed(`the verdict reads ${JSON.stringify(verdict)}, expected Envoy's 1 s connect timeout to the identity cluster`);
  }

  await webview.locator('.group-toggle').first().click();
  // The hostile text is on screen as characters, not as elements.
  const exception = await webview.locator('.reset .exception').first().innerText();
  if (!exception.includes('<script>alert(1)</script>')) await failed(`the exception is not shown as text: ${JSON.stringify(exception)}`);
  const imgs = await webview.locator('img').count();
  if (imgs !== 0) await failed(`the webview created ${imgs} <img> element(s) from log text`);
  // VS Code adds its own script to the frame; none may appear inside the rendered content.
  const scripts = await webview.locator('body > :not(script) script').count();
  if (scripts !== 0) await failed(`the rendered content holds ${scripts} <script> element(s) made from log text`);
  const accessLog = webview.locator('.event.kind-access-log .log-text').first();
  const accessText = await accessLog.innerText();
  if (!accessText.includes('<img src=x onerror=alert(1)>')) await failed('the access-log line with the <img> payload is not shown as text');
  if (!accessText.includes('\\u202E') || accessText.includes('\u202e')) await failed('the U+202E override in the access-log line was not made visible');
  if (!/… \(\d{2,3},\d{3} more characters\)/.test(accessText)) await failed('the 100 KB access-log line is not truncated with a count of what was left out');
  if ((await webview.locator('a[href^="javascript:"]').count()) !== 0) await failed('a javascript: link was created from log text');
  // The access-log entry is listed at its start (with its duration and end) and marked at its end,
  // after the connect timeout that ended it; no row shows a second timestamp of its own.
  const kinds = await webview.locator('.event .event-kind').allInnerTexts();
  const starts = kinds.indexOf('access-log entry starts');
  const ends = kinds.indexOf('access-log entry ends');
  const timeout = kinds.indexOf('connect timeout');
  if (!(starts === 0 && timeout > starts && ends > timeout)) await failed(`the events are not in the order they happened: ${JSON.stringify(kinds)}`);
  if ((await webview.locator('.event-time').count()) !== 0) await failed('event rows still show a timestamp beside the line\'s own');

  // Keyboard: the group's resets are a listbox that takes focus and keeps its selection on arrow keys.
  const list = webview.locator('[role="listbox"]').first();
  await list.focus();
  await page.keyboard.press('ArrowDown');
  const selected = await webview.locator('[role="option"][aria-selected="true"]').count();
  if (selected !== 1) await failed(`after ArrowDown ${selected} reset options are selected, expected exactly 1`);

  // Enter on the selected reset opens its line (23: the application's error) in the log's editor.
  await page.keyboard.press('Enter');
  try {
    await page.locator('.statusbar-item', { hasText: /Ln 23, Col/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    await failed('Enter on the reset did not select line 23 of hostile.log');
  }
  if (dialogs.length > 0) throw new Error(`log text opened a dialog: ${JSON.stringify(dialogs)}`);
}
