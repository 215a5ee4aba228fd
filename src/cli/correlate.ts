/**
 * `mesh-doctor correlate`: explains application connection resets with the Envoy events around
 * them. Files are streamed from disk as raw bytes in chunks (the correlator finds the few lines that
 * matter without decoding the rest, on a worker thread while this one correlates), so gigabyte
 * logs need neither much time nor memory.
 */

import { createReadStream, fstatSync, type BigIntStats } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { EXIT_OK, EXIT_USAGE, parseCommandArgs, runCommand, UsageError, type CliIo } from './args';
import { correlate, DEFAULT_WINDOW_SECONDS, type CorrelateByteInput, type CorrelateCandidateInput, type CorrelationResult } from '../core/correlate/index';
import { readFileChunks, readLinesBefore } from './fileChunks';
import { canScanInWorker, scanInWorker } from './scanInWorker';
import type { ResetReport } from '../core/correlate/types';
import type { SettingLocator } from '../core/diagnose/rank';
import type { ManifestSite } from '../core/diagnose/types';
import { revealInvisible } from '../core/text/invisible';

export const CORRELATE_USAGE = `mesh-doctor correlate [--format text|json] [--window SECONDS] [--clock-offset SECONDS]
    [--connect-timeout CLUSTER=SECONDS]... [--workspace DIR] FILE...

Finds connection failures in application logs (Java, Go, Python, Node, .NET): resets of the
application's connection and the HTTP errors Envoy answered with (503 \`upstream connect error\`,
\`no healthy upstream\`, gRPC UNAVAILABLE), and explains each with the Envoy debug-log,
access-log and pilot-agent lines of the same pod around it. A file may hold application lines,
Envoy lines or both, plain or as collected: \`kubectl logs --timestamps\` / \`--prefix\`, stern,
container-runtime (CRI) log files, Docker json-file logs.
  --window SECONDS         how far apart a reset and its Envoy events may be (default ${DEFAULT_WINDOW_SECONDS})
  --clock-offset SECONDS   added to application times when their clock differs from Envoy's
  --connect-timeout C=S    a cluster's configured connect timeout, e.g. 'outbound|443||idp.example.com=1'
  --workspace DIR          also say where DIR's Istio manifests set the value behind each finding
                           (fix.manifest: the DestinationRule for the cluster's host, the mesh-wide value)
A FILE may be a pipe (\`-\` for standard input, \`<(kubectl logs ...)\`, a FIFO); one given twice is read once.

Each finding (JSON \`resets[]\`) has: file, line (the record's first line), time, pod, kind
(reset | http-error), cause (connect-timeout, connection-refused, tls-failure, no-healthy-upstream,
circuit-breaker, no-route, idle-timeout, max-duration, upstream-reset, proxy-shutdown,
upstream-connect-failure, downstream-closed, unexplained), confidence (0-1), explanation,
fix ({ setting, default, docs, advice, and with --workspace manifest: [{ file, startLine, endLine,
resource, field, value }] } or null), cluster, connectTimeoutSeconds, exception and
matches (the Envoy lines that explain it).

Exit codes: 0 done (with or without resets; also when the reader of the output stops early),
  2 bad usage or an input that cannot be read (missing, a directory, a device, failing midway),
  70 an unexpected failure (please report it).`;

interface CorrelateArgs {
  readonly files: string[];
  readonly format: 'text' | 'json';
  readonly windowSeconds: number;
  readonly clockOffsetSeconds: number;
  readonly knownConnectTimeouts: Map<string, number>;
  readonly workspace: string | null;
}

/** Bounds of the numeric options: wide enough for any real skew or timeout, narrow enough that times stay printable and windows small. */
const MAX_CLOCK_OFFSET_SECONDS = 7 * 86_400;
const MAX_WINDOW_SECONDS = 3_600;
const MAX_CONNECT_TIMEOUT_SECONDS = 86_400;

interface SecondsBounds {
  readonly min: number;
  /** Whether `min` itself is allowed. */
  readonly minIncluded: boolean;
  readonly max: number;
}

const POSITIVE = (max: number): SecondsBounds => ({ min: 0, minIncluded: false, max });

/** `value` as seconds within `bounds`; null when it is not. */
function seconds(value: string, bounds: SecondsBounds): number | null {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) return null;
  if (n > bounds.max || n < bounds.min || (n === bounds.min && !bounds.minIncluded)) return null;
  return n;
}

function boundsText({ min, minIncluded, max }: SecondsBounds): string {
  return minIncluded ? `a number of seconds from ${min} to ${max}` : `a number of seconds above ${min}, at most ${max}`;
}

function secondsOption(name: string, value: string | undefined, fallback: number, bounds: SecondsBounds): number {
  if (value === undefined) return fallback;
  const n = seconds(value, bounds);
  if (n === null) throw new UsageError(`--${name} ${value}: expected ${boundsText(bounds)}`);
  return n;
}

/** Parses argv; throws a UsageError naming the bad argument, its control and bidi characters shown. */
export function parseCorrelateArgs(argv: string[]): CorrelateArgs {
  try {
    return parseArgsAsGiven(argv);
  } catch (err) {
    throw err instanceof UsageError ? new UsageError(revealInvisible(err.message)) : err;
  }
}

function parseArgsAsGiven(argv: string[]): CorrelateArgs {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'text' },
      window: { type: 'string' },
      'clock-offset': { type: 'string' },
      'connect-timeout': { type: 'string', multiple: true },
      workspace: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected text or json`);
  if (positionals.length === 0) throw new UsageError('give at least one log file');
  const knownConnectTimeouts = new Map<string, number>();
  for (const spec of values['connect-timeout'] ?? []) {
    const eq = spec.lastIndexOf('=');
    const bounds = POSITIVE(MAX_CONNECT_TIMEOUT_SECONDS);
    const timeout = eq <= 0 ? null : seconds(spec.slice(eq + 1), bounds);
    if (timeout === null) throw new UsageError(`--connect-timeout ${spec}: expected CLUSTER=SECONDS with ${boundsText(bounds)}, e.g. 'outbound|443||idp.example.com=1'`);
    knownConnectTimeouts.set(spec.slice(0, eq), timeout);
  }
  return {
    files: positionals,
    format: values.format,
    windowSeconds: secondsOption('window', values.window, DEFAULT_WINDOW_SECONDS, POSITIVE(MAX_WINDOW_SECONDS)),
    clockOffsetSeconds: secondsOption('clock-offset', values['clock-offset'], 0, { min: -MAX_CLOCK_OFFSET_SECONDS, minIncluded: true, max: MAX_CLOCK_OFFSET_SECONDS }),
    knownConnectTimeouts,
    workspace: values.workspace ?? null,
  };
}

/**
 * Log text, file names and cluster names are untrusted: in text output, control and bidi
 * characters (terminal escape sequences, right-to-left overrides) are shown, not obeyed. JSON
 * output keeps them exact, JSON-escaped.
 */
function textBlock(r: ResetReport, sites: readonly ManifestSite[] | null): string {
  const head = `${r.file}:${r.line}  ${r.time ?? 'time unknown'}${r.pod ? `  pod ${r.pod}` : ''}  ${r.kind}`;
  const lines = [
    head,
    `  ${r.exception.resetCause}`,
    `  ${r.cause} (confidence ${r.confidence.toFixed(2)}): ${r.explanation}`,
    ...(r.fix ? [`  fix: ${r.fix.setting} (default ${r.fix.default}): ${r.fix.advice} ${r.fix.docs}`] : []),
    ...(r.fix && sites ? [`  set in the workspace: ${sites.length === 0 ? 'nowhere found (the default, or outside the workspace)' : sites.map(siteText).join('; ')}`] : []),
    ...r.matches.map((m) => `    ${m.file}:${m.line}  ${m.kind}  ${m.text}`),
  ];
  return lines.map(revealInvisible).join('\n');
}

function siteText(s: ManifestSite): string {
  return `${s.file}:${s.startLine}  ${s.resource}  ${s.field} = ${s.value}`;
}

function jsonReset(r: ResetReport, sites: readonly ManifestSite[] | null): unknown {
  return {
    file: r.file,
    line: r.line,
    time: r.time,
    pod: r.pod,
    kind: r.kind,
    cause: r.cause,
    confidence: r.confidence,
    explanation: r.explanation,
    fix: r.fix && sites ? { ...r.fix, manifest: sites } : r.fix,
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
    /** Where the workspace sets the value behind a finding; null without --workspace. */
    private readonly locate: SettingLocator | null,
  ) {}

  begin(): void {
    if (this.format === 'json') this.out('{\n  "resets": [');
  }

  reset(r: ResetReport): void {
    this.count++;
    if (r.cause !== 'unexplained') this.explained++;
    const sites = this.locate && r.fix && r.cause !== 'unexplained' ? this.locate(r.cause, r.cluster ? [r.cluster] : []) : null;
    if (this.format === 'text') {
      this.out(`${textBlock(r, sites)}\n\n`);
    } else {
      const body = JSON.stringify(jsonReset(r, sites), null, 2).replace(/\n/g, '\n    ');
      this.out(`${this.count > 1 ? ',' : ''}\n    ${body}`);
    }
  }

  end(result: CorrelationResult): void {
    if (this.format === 'text') {
      this.out(`${this.count} finding(s), ${this.explained} explained; ${result.linesRead} lines read, ${result.envoyEvents} Envoy events (${result.accessLogLines} access-log lines).\n`);
    } else {
      const warnings = JSON.stringify(result.warnings, null, 2).replace(/\n/g, '\n  ');
      this.out(`${this.count > 0 ? '\n  ' : ''}],\n  "linesRead": ${result.linesRead},\n  "envoyEvents": ${result.envoyEvents},\n  "accessLogLines": ${result.accessLogLines},\n  "warnings": ${warnings}\n}\n`);
    }
  }

  /** Ends the output after a failure midway: JSON stays one complete document, saying what failed. */
  fail(message: string): void {
    if (this.format === 'json') this.out(`${this.count > 0 ? '\n  ' : ''}],\n  "error": ${JSON.stringify(message)}\n}\n`);
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

const STREAM_CHUNK_BYTES = 1 << 20;
const STDIN = '-';
/** Standard input by name, for when it is a regular file (`< app.log`) that workers open themselves. */
const STDIN_PATH = '/dev/stdin';

interface LogInput {
  readonly file: string;
  readonly label: string;
  /** A regular file; otherwise a pipe, read once from start to end. */
  readonly seekable: boolean;
  /** The descriptor to read a pipe from when it is already open (standard input). */
  readonly fd: number | null;
}

/**
 * A pipe cannot be read back by offset for a stack trace's first line, so it is streamed on this
 * thread, whose scanner keeps a bounded window of earlier lines instead.
 */
function correlatePipeInput(input: LogInput): CorrelateByteInput {
  return { file: input.label, chunks: createReadStream(input.file, { highWaterMark: STREAM_CHUNK_BYTES, ...(input.fd === null ? {} : { fd: input.fd }) }) };
}

function correlateInput(input: LogInput, index: number): CorrelateCandidateInput | CorrelateByteInput {
  return input.seekable ? correlateFileInput(input.file, input.label, index) : correlatePipeInput(input);
}

async function statInput(file: string, label: string): Promise<BigIntStats> {
  if (label === STDIN) return fstatSync(0, { bigint: true });
  const info = await stat(file, { bigint: true });
  await access(file, constants.R_OK);
  return info;
}

type InputCheck = { readonly problem: string } | { readonly inputs: LogInput[]; readonly notes: string[] };

/**
 * What each argument is, before anything is printed: a problem stops the run with nothing on
 * stdout. The same file given twice (by another name, a link, the same pipe) is read once, or
 * every reset in it would be counted twice.
 */
async function checkInputs(files: readonly string[], labels: readonly string[]): Promise<InputCheck> {
  const inputs: LogInput[] = [];
  const notes: string[] = [];
  const seen = new Map<string, string>();
  for (const [i, file] of files.entries()) {
    const label = labels[i]!;
    try {
      const info = await statInput(file, label);
      if (info.isDirectory()) return { problem: `${label} is a directory: give log files` };
      // A socket cannot be opened by name; standard input can be read as `-` whatever it is.
      if (info.isSocket() && label !== STDIN) return { problem: `${label} is a socket: give - to read standard input` };
      if (!info.isFile() && !info.isFIFO() && !info.isSocket()) return { problem: `${label} is a device, not a log file: give a file or a pipe` };
      const identity = `${info.dev}:${info.ino}`;
      const first = seen.get(identity);
      if (first !== undefined) {
        notes.push(`${label} is the same file as ${first}: reading it once`);
        continue;
      }
      seen.set(identity, label);
      inputs.push({ file, label, seekable: info.isFile(), fd: label === STDIN && !info.isFile() ? 0 : null });
    } catch (e) {
      return { problem: `cannot read ${label}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
  }
  return { inputs, notes };
}

/** `mesh-doctor correlate ...`: returns the process exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  return runCommand('correlate', CORRELATE_USAGE, argv, io, async () => {
    const args = parseCorrelateArgs(argv);
    const say = (text: string): void => io.stderr(`mesh-doctor correlate: ${revealInvisible(text)}\n`);
    const checked = await checkInputs(args.files.map((f) => (f === STDIN ? STDIN_PATH : path.resolve(io.cwd, f))), args.files);
    if ('problem' in checked) {
      say(checked.problem);
      return EXIT_USAGE;
    }
    checked.notes.forEach(say);
    // The manifest linter behind --workspace is loaded only when asked for: it is most of this command's start-up time.
    const locate = args.workspace === null ? null : await (await import('./workspaceSettings.js')).workspaceSettingLocator(path.resolve(io.cwd, args.workspace));
    const printer = new ResetPrinter(args.format, (text) => io.stdout(text), locate);
    printer.begin();
    let result: CorrelationResult;
    try {
      result = await correlate(checked.inputs.map(correlateInput), {
        windowSeconds: args.windowSeconds,
        clockOffsetSeconds: args.clockOffsetSeconds,
        knownConnectTimeouts: args.knownConnectTimeouts,
        onReset: (r) => printer.reset(r),
      });
    } catch (e) {
      const message = `reading failed: ${(e as Error).message}`;
      printer.fail(message);
      say(`${message}. Check the files are readable and complete.`);
      return EXIT_USAGE;
    }
    printer.end(result);
    result.warnings.forEach(say);
    return EXIT_OK;
  });
}
