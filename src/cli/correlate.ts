/**
 * `mesh-doctor correlate`: explains application connection resets with the Envoy events around
 * them. Files are streamed from disk as raw bytes in chunks (the correlator finds the few lines that
 * matter without decoding the rest, on a worker thread while this one correlates), so gigabyte
 * logs need neither much time nor memory.
 */

import { access, constants, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { EXIT_OK, EXIT_USAGE, parseCommandArgs, runCommand, UsageError, type CliIo } from './args';
import { correlate, DEFAULT_WINDOW_SECONDS, type CorrelateByteInput, type CorrelateCandidateInput, type CorrelationResult } from '../core/correlate/index';
import { readFileChunks, readLinesBefore } from './fileChunks';
import { canScanInWorker, scanInWorker } from './scanInWorker';
import type { ResetReport } from '../core/correlate/types';

export const CORRELATE_USAGE = `mesh-doctor correlate [--format text|json] [--window SECONDS] [--clock-offset SECONDS]
    [--connect-timeout CLUSTER=SECONDS]... FILE...

Finds connection resets in application logs (Java, Go, Python, Node) and explains each with the
Envoy debug-log and access-log lines of the same pod around it. A file may hold application
lines, Envoy lines or both (e.g. \`kubectl logs --all-containers --prefix --timestamps\`).
  --window SECONDS         how far apart a reset and its Envoy events may be (default ${DEFAULT_WINDOW_SECONDS})
  --clock-offset SECONDS   added to application times when their clock differs from Envoy's
  --connect-timeout C=S    a cluster's configured connect timeout, e.g. 'outbound|443||idp.example.com=1'`;

interface CorrelateArgs {
  readonly files: string[];
  readonly format: 'text' | 'json';
  readonly windowSeconds: number;
  readonly clockOffsetSeconds: number;
  readonly knownConnectTimeouts: Map<string, number>;
}

function numberOption(name: string, value: string | undefined, fallback: number, positive: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (positive && n <= 0)) {
    throw new UsageError(`--${name} ${value}: expected ${positive ? 'a positive' : 'a'} number of seconds`);
  }
  return n;
}

/** Parses argv; throws a UsageError naming the bad argument. */
export function parseCorrelateArgs(argv: string[]): CorrelateArgs {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'text' },
      window: { type: 'string' },
      'clock-offset': { type: 'string' },
      'connect-timeout': { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected text or json`);
  if (positionals.length === 0) throw new UsageError('give at least one log file');
  const knownConnectTimeouts = new Map<string, number>();
  for (const spec of values['connect-timeout'] ?? []) {
    const eq = spec.lastIndexOf('=');
    const seconds = Number(spec.slice(eq + 1));
    if (eq <= 0 || !(seconds > 0)) throw new UsageError(`--connect-timeout ${spec}: expected CLUSTER=SECONDS, e.g. 'outbound|443||idp.example.com=1'`);
    knownConnectTimeouts.set(spec.slice(0, eq), seconds);
  }
  return {
    files: positionals,
    format: values.format,
    windowSeconds: numberOption('window', values.window, DEFAULT_WINDOW_SECONDS, true),
    clockOffsetSeconds: numberOption('clock-offset', values['clock-offset'], 0, false),
    knownConnectTimeouts,
  };
}

/** Log text is untrusted: control characters (terminal escape sequences) are shown, not obeyed. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function textBlock(r: ResetReport): string {
  const head = `${r.file}:${r.line}  ${r.time ?? 'time unknown'}${r.pod ? `  pod ${r.pod}` : ''}`;
  const lines = [
    printable(head),
    `  ${printable(r.exception.resetCause)}`,
    `  ${r.cause} (confidence ${r.confidence.toFixed(2)}): ${printable(r.explanation)}`,
    ...r.matches.map((m) => `    ${printable(`${m.file}:${m.line}`)}  ${m.kind}  ${printable(m.text)}`),
  ];
  return lines.join('\n');
}

function jsonReset(r: ResetReport): unknown {
  return {
    file: r.file,
    line: r.line,
    time: r.time,
    pod: r.pod,
    cause: r.cause,
    confidence: r.confidence,
    explanation: r.explanation,
    cluster: r.cluster,
    connectTimeoutSeconds: r.connectTimeoutSeconds,
    exception: r.exception,
    matches: r.matches.map((m) => ({ file: m.file, line: m.line, kind: m.kind, connectionId: m.connectionId, cluster: m.cluster, time: m.time, text: m.text })),
  };
}

/**
 * Prints each reset as soon as the correlator decides it, so output (and memory) do not wait for
 * the end of a gigabyte log. JSON is written piecewise but forms one document.
 */
class ResetPrinter {
  private count = 0;
  private explained = 0;

  constructor(
    private readonly format: 'text' | 'json',
    private readonly out: (text: string) => void,
  ) {}

  begin(): void {
    if (this.format === 'json') this.out('{\n  "resets": [');
  }

  reset(r: ResetReport): void {
    this.count++;
    if (r.cause !== 'unexplained') this.explained++;
    if (this.format === 'text') {
      this.out(`${textBlock(r)}\n\n`);
    } else {
      const body = JSON.stringify(jsonReset(r), null, 2).replace(/\n/g, '\n    ');
      this.out(`${this.count > 1 ? ',' : ''}\n    ${body}`);
    }
  }

  end(result: CorrelationResult): void {
    if (this.format === 'text') {
      this.out(`${this.count} reset(s), ${this.explained} explained; ${result.linesRead} lines read, ${result.envoyEvents} Envoy events.\n`);
    } else {
      const warnings = JSON.stringify(result.warnings, null, 2).replace(/\n/g, '\n  ');
      this.out(`${this.count > 0 ? '\n  ' : ''}],\n  "linesRead": ${result.linesRead},\n  "warnings": ${warnings}\n}\n`);
    }
  }
}

/** A file's chunks for the correlator's byte scanner on this thread (see readFileChunks). */
export async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  yield* readFileChunks(file);
}

/** Files scanned on worker threads at once: one core is left for correlating, and more would only compete for cores and memory. */
const MAX_SCAN_WORKERS = Math.min(availableParallelism() - 1, 4);

/**
 * How the correlator reads the `index`th file (reports name it `label`): its relevant lines found
 * on a worker thread when the worker script is there and a worker is left, otherwise on this thread.
 */
export function correlateFileInput(file: string, label: string, index = 0): CorrelateCandidateInput | CorrelateByteInput {
  if (index >= MAX_SCAN_WORKERS || !canScanInWorker()) return { file: label, chunks: fileChunks(file) };
  return { file: label, candidates: scanInWorker(file), lookBack: (offset, line) => readLinesBefore(file, offset, line) };
}

async function unreadable(files: readonly string[]): Promise<string | null> {
  for (const file of files) {
    try {
      if ((await stat(file)).isDirectory()) return `${file} is a directory: give log files`;
      await access(file, constants.R_OK);
    } catch (e) {
      return `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
    }
  }
  return null;
}

/** `mesh-doctor correlate ...`: returns the process exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  return runCommand('correlate', CORRELATE_USAGE, argv, io, async () => {
    const args = parseCorrelateArgs(argv);
    const files = args.files.map((f) => path.resolve(io.cwd, f));
    const problem = await unreadable(files);
    if (problem) {
      io.stderr(`mesh-doctor correlate: ${problem}\n`);
      return EXIT_USAGE;
    }
    const printer = new ResetPrinter(args.format, (text) => io.stdout(text));
    printer.begin();
    let result: CorrelationResult;
    try {
      result = await correlate(files.map((file, i) => correlateFileInput(file, args.files[i]!, i)), {
        windowSeconds: args.windowSeconds,
        clockOffsetSeconds: args.clockOffsetSeconds,
        knownConnectTimeouts: args.knownConnectTimeouts,
        onReset: (r) => printer.reset(r),
      });
    } catch (e) {
      io.stderr(`mesh-doctor correlate: reading failed: ${(e as Error).message}. Check the files are readable and complete.\n`);
      return EXIT_USAGE;
    }
    printer.end(result);
    for (const warning of result.warnings) io.stderr(`mesh-doctor correlate: ${warning}\n`);
    return EXIT_OK;
  });
}
