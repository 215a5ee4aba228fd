/**
 * What every `mesh-doctor` subcommand shares: the I/O it writes through (so tests run commands
 * in-process), exit codes, and argument parsing on node:util's parseArgs with usage errors that
 * name the bad argument.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { parseNamespacedPod } from '../core/kubeNames';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
}

/** A subcommand module, loaded only when it runs. */
export interface CliCommand {
  run(argv: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
/** Something was found that the user asked to fail on. */
export const EXIT_FINDINGS = 1;
/** Bad usage or unreadable input: nothing trustworthy was checked. */
export const EXIT_USAGE = 2;

/** A mistake in the command line, shown with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** parseArgs, with its errors turned into UsageErrors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Checks that an option's value is one of `allowed`. */
export function oneOf<A extends string>(option: string, value: string, allowed: readonly A[]): A {
  if ((allowed as readonly string[]).includes(value)) return value as A;
  throw new UsageError(`--${option} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
}

/** Reads `--minimum` by the same rule as the editor's meshDoctor.connectTimeout.minimum. */
export function minimumOption(value: string): number {
  const parsed = parseConnectTimeoutMinimum(value);
  if (!parsed.ok) throw new UsageError(`--minimum ${JSON.stringify(value)}: ${parsed.reason}; write a Go duration such as 10s`);
  return parsed.minimum.seconds;
}

/** Reads `--pod NAMESPACE/POD`, with both names checked as Kubernetes checks them. */
export function podOption(value: string | undefined): { namespace: string; name: string } {
  const example = '(e.g. --pod shop/checkout-7d9f-abcde)';
  if (value === undefined || !value.includes('/')) throw new UsageError(`--pod NAMESPACE/POD is required ${example}`);
  const parsed = parseNamespacedPod(value);
  if (typeof parsed === 'string') throw new UsageError(`--pod: the ${parsed} ${example}`);
  return parsed;
}

/** The longest `--timeout` accepted: an hour per cluster call is already far past any real answer. */
const MAX_TIMEOUT_SECONDS = 3600;

/** Reads `--timeout SECONDS`: the time limit of each call to the cluster. */
export function timeoutOption(value: string, flag = 'timeout'): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--${flag} ${JSON.stringify(value)}: expected seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return seconds;
}

/**
 * Runs a subcommand body, printing `--help` and usage errors the same way for every command:
 * help on stdout with exit 0, a usage error on stderr with the usage and exit 2.
 */
export async function runCommand(
  name: string, usage: string, argv: string[], io: CliIo, body: () => Promise<number>,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${usage}\n`);
    return EXIT_OK;
  }
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`mesh-doctor ${name}: ${err.message}\n\n${usage}\n`);
    return EXIT_USAGE;
  }
}

/**
 * The version in package.json, found by walking up from this file: it sits one folder up from the
 * bundle (dist/cli.js) and two from tsc's output (out/src/cli/args.js).
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'mesh-doctor' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No readable package.json here: keep walking up.
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
