/**
 * Stands in for a VS Code executable, so `@vscode/test-electron`'s `runTests({ vscodeExecutablePath })`
 * drives the real VS Code 1.139 workbench served by code-server. It takes the arguments runTests
 * passes (folder, --extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir,
 * --extensions-dir), opens the workbench in headless Chromium with the smoke-test driver's
 * `payload`, and exits with the code the workbench reports through `window.codeAutomationExit`.
 *
 * Extra argument: `--install-extension=FILE.vsix` installs a packaged extension first, to test the
 * .vsix as users get it (the development path is then an empty driver extension, see test/vsix/driver).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './browser';
import { startCodeServer, runCodeServerCli, workbenchUrl } from './codeServer';
import { ensureTestHost } from './install';
import { resultsDir } from './paths';

interface LaunchArgs {
  folder: string;
  developmentPath: string | null;
  testsPath: string;
  userDataDir: string;
  extensionsDir: string;
  vsix: string | null;
}

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const value = (name: string): string | null => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
      if (a === `--${name}` && i + 1 < argv.length) return argv[i + 1];
    }
    return null;
  };
  const valued = new Set(['--user-data-dir', '--extensions-dir']);
  const positional = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''));
  const testsPath = value('extensionTestsPath');
  if (!testsPath) throw new Error('launcher: --extensionTestsPath is required');
  if (positional.length !== 1) throw new Error(`launcher: expected one folder to open, got ${JSON.stringify(positional)}`);
  return {
    folder: path.resolve(positional[0]),
    developmentPath: value('extensionDevelopmentPath'),
    testsPath,
    userDataDir: value('user-data-dir') ?? fs.mkdtempSync('/tmp/mesh-doctor-user-'),
    extensionsDir: value('extensions-dir') ?? fs.mkdtempSync('/tmp/mesh-doctor-ext-'),
    vsix: value('install-extension'),
  };
}

async function main(): Promise<number> {
  const args = parseLaunchArgs(process.argv.slice(2));
  const suite = process.env.MESH_DOCTOR_SUITE ?? 'integration';
  const timeoutMs = Number(process.env.MESH_DOCTOR_SUITE_TIMEOUT_MS ?? 15 * 60_000);
  const host = await ensureTestHost();
  if (args.vsix) {
    await runCodeServerCli(host, ['--extensions-dir', args.extensionsDir, '--install-extension', path.resolve(args.vsix)]);
  }
  const settings = JSON.parse(process.env.MESH_DOCTOR_USER_SETTINGS ?? '{}') as Record<string, unknown>;
  const server = await startCodeServer({ host, userDataDir: args.userDataDir, extensionsDir: args.extensionsDir, settings });
  const browser = await launchChromium();
  fs.mkdirSync(resultsDir, { recursive: true });
  const consoleLog = fs.createWriteStream(path.join(resultsDir, `${suite}-browser.log`));
  let exitCode: number;
  try {
    const page = await browser.context.newPage();
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    await page.goto(workbenchUrl(server, args.folder, { extensionDevelopmentPath: args.developmentPath ?? undefined, extensionTestsPath: args.testsPath }));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(`launcher: ${suite} did not finish within ${timeoutMs / 1000} s`);
        resolve(124);
      }, timeoutMs);
    });
    exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
  } finally {
    await browser.close();
    await server.stop();
    fs.writeFileSync(path.join(resultsDir, `${suite}-code-server.log`), server.log());
    consoleLog.end();
  }
  return exitCode;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
