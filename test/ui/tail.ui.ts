import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { closePrimarySideBar } from '../host/workbenchActions';

/**
 * From the command palette, as a user would: tail a checkout pod's app and Envoy logs, enable
 * Envoy debug logging on it through the pickers (context -> namespace -> pod -> preset), wait for
 * the incident's highlighted lines and the status-bar countdown, screenshot `tail.png`, restore.
 * The runner connects the workbench to an incident stand-in (meshDoctor.kubeconfig).
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 400, y: 5 } });
  const quickInput = page.locator('.quick-input-widget input');
  const row = (text: string | RegExp) => page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();

  async function command(title: string, category = 'Mesh Doctor: '): Promise<void> {
    // Exactly this title: "Tail App and Envoy Logs" must not pick "... of the Workload".
    const exact = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${category}${title}$`) }) }).first();
    // Right after the workbench loads, the palette can answer before the extension's commands are
    // listed, and it does not refresh; close it and ask again.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press('F1');
      await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput.fill(`>${category}${title}`);
      try {
        await exact.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (err) {
        if (attempt === 6) throw err;
        await page.keyboard.press('Escape');
      }
    }
    await exact.click();
  }

  async function pickCheckoutPod(): Promise<string> {
    // Context (the stand-in's is the only one), then the namespace, then the pod.
    await row(/standin|incident/).waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.press('Enter');
    await row('shop').waitFor({ state: 'visible', timeout: 30_000 });
    await quickInput.fill('shop');
    await page.keyboard.press('Enter');
    const pod = row(/checkout-[a-z0-9]+-[a-z0-9]+/);
    await pod.waitFor({ state: 'visible', timeout: 30_000 });
    const name = /checkout-[a-z0-9]+-[a-z0-9]+/.exec(await pod.innerText())![0];
    await pod.click();
    return name;
  }

  /**
   * `text` is drawn with Mesh Doctor's highlight (a `ced-` decoration class; the log grammar may
   * split it into several spans, so its first word is looked for) in the active editor, and ends
   * within the editor's width, not off screen to the right.
   */
  async function markedTextOnScreen(text: string): Promise<void> {
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    const marked = editor.locator('.view-line span[class*="ced-"]', { hasText: text.split(/\W/)[0] }).last();
    await marked.waitFor({ state: 'visible', timeout: 30_000 });
    const [box, bounds] = [await marked.boundingBox(), await editor.boundingBox()];
    if (!box || !bounds || box.x + box.width > bounds.x + bounds.width) {
      throw new Error(`"${text}" is drawn at x ${box?.x}..${box && box.x + box.width}, beyond the editor's right edge at ${bounds && bounds.x + bounds.width}`);
    }
  }

  try {
    await command('Tail App and Envoy Logs');
    const pod = await pickCheckoutPod();
    await page.locator('.tab.active', { hasText: `app+envoy shop-${pod}` }).waitFor({ state: 'visible', timeout: 30_000 });

    await command('Enable Envoy Debug Logging');
    const samePod = await pickCheckoutPod();
    if (samePod !== pod) throw new Error(`picked ${samePod} for debug logging, but tailing ${pod}`);
    await row('Connection problems').waitFor({ state: 'visible', timeout: 15_000 });
    await row('Connection problems').click();

    const status = page.locator('.statusbar-item', { hasText: /Envoy debug: 1 pod · \d+:\d\d/ });
    await status.waitFor({ state: 'visible', timeout: 30_000 });
    // The editor follows the end of the log. Earlier tests leave the side bar wide, and a narrow
    // editor wraps each Java trace over a whole screen, hiding the connect timeout above it: give
    // the editor the full width first, as the screenshot wants anyway.
    await closePrimarySideBar(page);
    await page.locator('.monaco-editor .view-line', { hasText: 'connect timeout' }).first().waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.monaco-editor .view-line', { hasText: /UF|URX/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The short prefix and the tail's word wrap keep the mark inside the editor.
    await markedTextOnScreen('connect timeout');
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'tail.png') });

    await command('Restore All Raised Envoy Log Levels');
    await status.waitFor({ state: 'hidden', timeout: 30_000 });

    // The same marks in a .log file the user opens.
    await page.keyboard.press('Control+P');
    await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
    await quickInput.fill('annotator/envoy-debug.log');
    await row('envoy-debug.log').waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'envoy-debug.log' }).waitFor({ state: 'visible', timeout: 15_000 });
    await markedTextOnScreen('UF,URX');
  } catch (err) {
    await page.screenshot({ path: path.join(ctx.screenshotDir, 'tail-failed.png') });
    throw err;
  }
}
