import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { ensureKubectl } from '../standin/kubectl';
import { clickMenuItem, openMeshDoctorContainer, runCommand } from '../host/workbenchActions';

/** The mesh-wide value the fix sets, as the user's pipeline would write it to the cluster (istioctl renders the IstioOperator's meshConfig into this ConfigMap). */
const FIXED_MESH_CONFIG = [
  "kubectl apply --validate=false -f - <<'EOF'",
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: istio, namespace: istio-system}',
  'data:',
  '  mesh: |',
  '    connectTimeout: 10s',
  'EOF',
];

/**
 * The README's "Diagnosing an incident" walkthrough, one screenshot per step, on the stand-in's
 * incident: the collapsed Mesh view with the shop namespace's badge → Diagnose on a checkout pod,
 * the report with the 1 s connect timeout first → Open Manifest, the IstioOperator's 1 s with its
 * quick fix → the fix applied to the stand-in with kubectl in the terminal → Verify Fix says
 * verified. Runs last (the name sorts after the other UI tests): the applied fix stops the
 * incident's failures, and is deleted again at the end.
 */
export async function run(page: Page, ctx: { workspace: string; screenshotDir: string }): Promise<void> {
  const shot = (name: string) => page.screenshot({ path: path.join(ctx.screenshotDir, name) });
  const failed = async (message: string): Promise<never> => {
    await shot('walkthrough-failed.png');
    throw new Error(message);
  };
  const visible = async (locator: Locator, timeout: number, what: string): Promise<void> => {
    await locator.waitFor({ state: 'visible', timeout }).catch(() => failed(`${what} did not appear within ${timeout / 1000} s`));
  };
  // The notification center lists every notification, toast or not (the test workbench may not toast).
  const notification = async (says: RegExp, timeout: number, what: string): Promise<Locator> => {
    const item = page.locator('.notifications-center .notification-list-item', { has: page.locator('.notification-list-item-message', { hasText: says }) }).first();
    const deadline = Date.now() + timeout;
    while (!(await item.isVisible()) && Date.now() < deadline) {
      if (!(await page.locator('.notifications-center').isVisible())) await runCommand(page, 'Notifications: Show Notifications');
      await item.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await visible(item, 1_000, what);
    return item;
  };
  const kubectl = await ensureKubectl();
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'Notifications: Clear All Notifications');
  await openMeshDoctorContainer(page);
  // A little wider than the default 300 px, so the namespace's badge reads whole.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box && box.width < 480) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 480, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
  }

  // 1. The collapsed tree: the namespace says where it hurts before anything is expanded.
  const sidebar = page.locator('.part.sidebar');
  const row = (text: RegExp): Locator => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  const shop = row(/^shop/);
  await visible(shop, 60_000, 'the shop namespace in the Mesh view');
  if ((await shop.getAttribute('aria-expanded')) === 'true') await shop.click();
  await visible(row(/^shop.*⚠ \d+ pods?: connect-timeout/), 90_000, "the shop namespace's problem badge");
  await shot('walkthrough-1-tree.png');
  await shop.click();

  // 2. Diagnose from the checkout pod's context menu: the report, connect-timeout first.
  const pod = row(/checkout-/);
  await visible(pod, 60_000, 'a checkout pod');
  await pod.click({ button: 'right' });
  const diagnose = page.locator('.context-view .action-item', { has: page.locator('.action-label', { hasText: /^Diagnose$/ }) }).first();
  await visible(diagnose, 15_000, "Diagnose in the checkout pod's context menu");
  await clickMenuItem(page, diagnose);
  const preview: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  const firstCause = preview.locator('h3').first();
  await visible(firstCause, 90_000, 'the diagnosis report');
  const heading = await firstCause.innerText();
  if (!/^1\. connect-timeout\b/.test(heading)) await failed(`the report's first cause reads ${JSON.stringify(heading)}, expected "1. connect-timeout"`);
  const done = await notification(/^Diagnosis of pod shop\/checkout-\S+: connect-timeout/, 30_000, "the diagnosis's notification");
  // code-server's own question about the repository's git folder is not part of the story.
  const gitQuestion = page.locator('.notifications-center .notification-list-item', { hasText: 'git repository' }).locator('.monaco-button', { hasText: 'Never' });
  if (await gitQuestion.isVisible()) await gitQuestion.click();
  await firstCause.scrollIntoViewIfNeeded();
  await shot('walkthrough-2-report.png');

  // 3. Open Manifest (the notification's button), the mesh-wide 1 s, and the lint feature's quick fix there.
  await done.locator('.monaco-button', { hasText: 'Open Manifest' }).click();
  const site = page.locator('.quick-input-list .monaco-list-row', { hasText: 'lint/mesh-operator.yaml' }).first();
  await visible(site, 15_000, 'the manifest sites to choose from');
  await site.click();
  await visible(page.locator('.tab.active', { hasText: 'mesh-operator.yaml' }), 15_000, 'the mesh-operator.yaml editor');
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Raise to 10s' }).first();
  await visible(fix, 15_000, 'the "Raise to 10s" quick fix');
  await shot('walkthrough-3-manifest.png');
  await page.keyboard.press('Escape');
  const hideCenter = page.locator('.notifications-center-header .codicon-notifications-hide').first();
  if (await hideCenter.isVisible()) await hideCenter.click();

  // 4. The user's pipeline applies the fix; here kubectl in the terminal writes the mesh config to the stand-in.
  await runCommand(page, 'Terminal: Create New Terminal');
  const terminal = page.locator('.terminal-wrapper.active .xterm').first();
  await visible(terminal, 30_000, 'the terminal');
  await terminal.click();
  await page.keyboard.type(`export KUBECONFIG="$MESH_DOCTOR_TEST_KUBECONFIG"; alias kubectl='${kubectl}'; clear\n`, { delay: 5 });
  await page.waitForTimeout(1000);
  await page.keyboard.type(`${FIXED_MESH_CONFIG.join('\n')}\n`, { delay: 5 });
  await page.waitForTimeout(3000);
  await shot('walkthrough-4-apply.png');

  // 5. Verify Fix watches the pods until the 10 s reached them and the failures stayed flat.
  // From the report's tab, so no keystroke reaches the terminal.
  await page.locator('.tab', { hasText: /diagnosis-\d+\.md/ }).first().click();
  await runCommand(page, 'Mesh Doctor: Verify Fix');
  const verified = await notification(/^Mesh Doctor: verified after /, 240_000, 'the "verified" notification');
  const says = await verified.locator('.notification-list-item-message').innerText();
  if (!says.includes('outbound|443||idp.example.com')) await failed(`the verification reads ${JSON.stringify(says)}, expected it to name outbound|443||idp.example.com`);
  await visible(preview.locator('h2', { hasText: 'Verification' }), 30_000, "the report's Verification section");
  await preview.locator('h2', { hasText: 'Verification' }).scrollIntoViewIfNeeded();
  await shot('walkthrough-5-verified.png');

  // The stand-in serves the rest of the suite's run as the incident again: the scenario's own 1 s.
  await terminal.click();
  await page.keyboard.type('kubectl delete configmap istio -n istio-system\n', { delay: 5 });
  await page.waitForTimeout(2000);
}
