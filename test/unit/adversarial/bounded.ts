/**
 * The adversarial suite's one rule: every hostile case runs the real `mesh-doctor` in a process of
 * its own with a wall-clock limit and a heap limit, so a hang or a blow-up fails the case instead of
 * the whole run. What the process printed comes back for the case's own assertions.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The CLI as `tsc` builds it (out/src/cli.js), so the cases need no bundling step. */
export const CLI_PATH = path.resolve(__dirname, '..', '..', '..', 'src', 'cli.js');

export interface BoundedRun {
  /** The exit code, or null when the limit killed the process. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly elapsedMs: number;
}

export interface BoundedOptions {
  /** Wall-clock limit; the process is killed with SIGKILL past it. */
  readonly timeoutMs?: number;
  /** V8 old-space limit in MB: a run that needs more dies with "heap out of memory". */
  readonly maxHeapMb?: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly stdin?: string;
}

/** Output kept per stream: a runaway writer must not become the test's own memory problem. */
const MAX_CAPTURE = 4 * 1024 * 1024;

export function runCliBounded(args: readonly string[], options: BoundedOptions = {}): Promise<BoundedRun> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${options.maxHeapMb ?? 256}`, CLI_PATH, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => { if (stdout.length < MAX_CAPTURE) stdout += b.toString('utf8'); });
    child.stderr.on('data', (b: Buffer) => { if (stderr.length < MAX_CAPTURE) stderr += b.toString('utf8'); });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, elapsedMs: Date.now() - started });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
