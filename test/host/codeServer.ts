import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { type TestHost } from './install';

/** A running code-server: the real VS Code 1.139 workbench, served on loopback. */
export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  /** Output so far, for failure reports. */
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly host: TestHost;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Passed to code-server and so to the extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** User settings written before start. */
  readonly settings?: Record<string, unknown>;
  readonly port?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function probe(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Runs code-server's CLI once (for `--install-extension`), returning its output. */
export function runCodeServerCli(host: TestHost, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(host.node, [host.codeServerEntry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const port = opts.port ?? (await freePort());
  const settings = JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'security.workspace.trust.enabled': false,
      'window.commandCenter': false,
      'chat.disableAIFeatures': true,
      ...opts.settings,
    },
    null,
    2,
  );
  // The extension host is "remote" to the browser workbench, and machine-scoped settings (such as
  // meshDoctor.kubeconfig) are read from the remote machine's settings, so write both files.
  for (const scope of ['User', 'Machine']) {
    fs.mkdirSync(path.join(opts.userDataDir, scope), { recursive: true });
    fs.writeFileSync(path.join(opts.userDataDir, scope, 'settings.json'), settings);
  }
  fs.mkdirSync(opts.extensionsDir, { recursive: true });
  const args = [
    opts.host.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    // Lets the workbench honour the `payload` URL parameter (extension development and test paths).
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  // Its own process group, so stop() ends the extension host and every helper it started.
  const child: ChildProcess = spawn(opts.host.node, args, {
    // No extension gallery: tests and the demo talk to loopback only.
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await probe(`${origin}/healthz`))) {
    if (exited) throw new Error(`code-server exited during start:\n${output}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`code-server did not answer on ${origin} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    port,
    origin,
    log: () => output,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * The workbench URL that opens `folder` and, through the smoke-test driver's `payload`, loads the
 * extension under development and runs a test module in the (remote) extension host.
 */
export function workbenchUrl(server: CodeServer, folder: string, payload: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const entries: [string, string][] = [];
  if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
  if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  const q = new URLSearchParams({ folder });
  if (entries.length) q.set('payload', JSON.stringify(entries));
  return `${server.origin}/?${q.toString()}`;
}
