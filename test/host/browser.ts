import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.MESH_DOCTOR_CHROMIUM ?? '/usr/bin/chromium';

/** Says exactly what to install when the browser the tests drive is missing. */
export function assertChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is needed to drive the VS Code test host, and ${CHROMIUM} does not exist.\n` +
        `Install it with:  sudo apt-get install -y chromium libkrb5-dev build-essential python3\n` +
        `(or set MESH_DOCTOR_CHROMIUM to a Chromium binary).`,
    );
  }
}

export interface HeadlessChromium {
  readonly browser: Browser;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium with a fresh profile. The flags keep it off the network: this machine
 * has none, and Chromium's background services would otherwise retry connections at every start.
 */
export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<HeadlessChromium> {
  assertChromium();
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  // Loopback only: anything else the workbench asks for is refused before it leaves the machine.
  await context.route(/^(?!(https?|wss?):\/\/(127\.0\.0\.1|localhost)[:/]).*:\/\//, (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('vscode-')) return route.continue();
    return route.abort('blockedbyclient');
  });
  const browser = context.browser() as Browser;
  return {
    browser,
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
