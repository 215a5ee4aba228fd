/**
 * `mesh-doctor`: the command line over the same core as the extension. Each subcommand lives in
 * src/cli/ and is loaded only when it runs, so `mesh-doctor lint` never loads cluster code.
 */

import { writeSync } from 'node:fs';
import { EXIT_OK, EXIT_USAGE, packageVersion, type CliCommand, type CliIo } from './cli/args';

interface CommandEntry {
  /** One line for `mesh-doctor --help`. */
  readonly summary: string;
  readonly load: () => Promise<CliCommand>;
}

/** Add a subcommand with one line here. */
const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  lint: { summary: 'check the connect timeouts set in Istio manifests', load: () => import('./cli/lint.js') },
  clusters: { summary: "list a pod's Envoy clusters with connect timeouts and connect failures", load: () => import('./cli/clusters.js') },
  'log-level': { summary: "print, raise (for a while) or restore a pod's Envoy log levels", load: () => import('./cli/logLevel.js') },
  diagnose: { summary: "rank the causes of a pod's or workload's connection failures, with evidence and fix", load: () => import('./cli/diagnose.js') },
  verify: { summary: 'wait until a fix reached the pods and their connect failures stopped', load: () => import('./cli/verify.js') },
  overview: { summary: 'rank where connections fail across the mesh, from Prometheus (Istio standard metrics)', load: () => import('./cli/overview.js') },
  correlate: { summary: 'explain application connection resets with the Envoy log lines around them', load: () => import('./cli/correlate.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: mesh-doctor <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
    'Run `mesh-doctor <command> --help` for a command\'s options; `mesh-doctor --version` prints the version.';
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    io.stderr(`mesh-doctor: unknown command ${JSON.stringify(name)}\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  return command.run(rest, io);
}

/** How long to wait before retrying a write to a full non-blocking stdout. */
const FULL_PIPE_WAIT_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to stdout synchronously: a slow reader (`| less`) then holds the command back instead
 * of letting queued output grow without bound, and a reader that has gone (`| head -1`) is
 * noticed at once. That is not a failure — the reader has what it wanted — so the command ends
 * quietly with success.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let written = 0; written < bytes.length;) {
    try {
      written += writeSync(1, bytes, written);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(EXIT_OK);
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(sleeper, 0, 0, FULL_PIPE_WAIT_MS);
    }
  }
}

function processIo(): CliIo {
  return {
    stdout: writeStdout,
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`mesh-doctor: unexpected failure: ${err instanceof Error ? err.stack ?? err.message : String(err)}\nPlease report this with the command you ran.\n`);
      process.exitCode = 70;
    },
  );
}
