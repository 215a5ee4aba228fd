import type { Locator, Page } from 'playwright-core';

/** What a person does in the workbench, shared by the UI tests and the start-up benchmark. */

const quickInput = (page: Page) => page.locator('.quick-input-widget input');

/** Focuses the workbench, so keyboard shortcuts reach it rather than a welcome page or the browser. */
export async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 400, y: 5 } });
}

/** Types a command's title into the palette and presses Enter on it. */
async function enterInPalette(page: Page, title: string): Promise<void> {
  await focusWorkbench(page);
  await page.keyboard.press('F1');
  await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput(page).fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Runs a command from the command palette by its title as shown there. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await enterInPalette(page, title);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
}

/**
 * Runs a command from the palette and picks `item` in the quick pick it opens (the palette's own
 * widget is reused, so it never closes in between as runCommand expects).
 */
export async function runCommandAndPick(page: Page, title: string, item: string): Promise<void> {
  await enterInPalette(page, title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: item }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput(page).fill(item);
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open and waits for its editor tab. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const fileName = relativePath.split('/').pop() ?? relativePath;
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ state: 'visible', timeout: 15_000 });
  await quickInput(page).fill(relativePath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: fileName }).waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * Gives the editor the full width. The workbench remembers its layout between loads of one
 * profile, so the side bar may already be closed (its Close command is then not offered).
 */
export async function closePrimarySideBar(page: Page): Promise<void> {
  if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Close Primary Side Bar');
}

/**
 * Opens the Mesh Doctor container from its activity bar entry, as a user does. The workbench may
 * restore it from an earlier test, and clicking the entry of the shown container closes it: click
 * only while it is not shown, and again if a late restore made the click close it.
 */
export async function openMeshDoctorContainer(page: Page): Promise<void> {
  await focusWorkbench(page);
  const container = page.locator('.activitybar .action-item a[aria-label^="Mesh Doctor"]').first();
  const title = page.locator('.part.sidebar .composite.title', { hasText: /Mesh Doctor/i }).first();
  await container.waitFor({ state: 'visible', timeout: 30_000 });
  for (let attempt = 0; attempt < 3 && !(await title.isVisible()); attempt++) {
    await container.click();
    await title.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  }
  await title.waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * Clicks an item of an open context menu. A tree refresh under the open menu (the Mesh view's
 * badges arriving) can swallow the click, and the menu then stays open: click again, up to three
 * more times, while the item is still there.
 */
export async function clickMenuItem(page: Page, item: Locator): Promise<void> {
  await item.click();
  for (let attempt = 0; attempt < 3 && (await item.isVisible()); attempt++) {
    await page.waitForTimeout(1000);
    if (await item.isVisible()) await item.click().catch(() => undefined);
  }
}
