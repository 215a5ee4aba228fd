/**
 * Correlates application connection resets with the Envoy events that explain them. Inputs are
 * read as streams and merged in time order, so a reset in one file meets the Envoy lines of
 * another; see ResetEngine for how memory stays bounded.
 */

import type { ResetReport, TimelineEvent } from './types';

export type { TimelineEvent } from './types';
import { continuesOnNextLine, LineScanner, mayMatter, relevantLineScanner, type InputItem, type ScannedLine } from './scan';
import { ResetEngine } from './engine';
import { NO_ENVOY_EVIDENCE } from './noEvidence';
import { MAX_LINE_BYTES } from '../logs/chunkLines';

export interface CorrelateInput {
  file: string;
  lines: AsyncIterable<string> | Iterable<string>;
  pod?: string | null;
  container?: string | null;
}

/** A raw byte stream (e.g. fs.createReadStream): the fast path for large files. */
export interface CorrelateByteInput {
  file: string;
  chunks: AsyncIterable<Uint8Array>;
  pod?: string | null;
  container?: string | null;
}

/** Lines of one input that passed the relevance test, found elsewhere (e.g. by a worker thread). */
export interface CandidateBatch {
  raws: string[];
  /** 1-based line numbers, one per raw line. */
  lines: number[];
  /** Where each line starts in the input, for {@link CorrelateCandidateInput.lookBack}. */
  offsets: number[];
  /** Lines of the input read so far. */
  linesRead: number;
  /** Of those, lines too long to read whole (see MAX_LINE_BYTES). */
  cutLines: number;
  /**
   * Successful access-log lines, read from their bytes (see AccessSuccessItem), in line order:
   * four numbers each, its line, its end, its client address (NaN: none) and its pod (an index
   * into `pods`; -1: none). The first `successCount` are set.
   */
  successes: Float64Array;
  successCount: number;
  pods: string[];
}

/** Fields of one success in CandidateBatch.successes. */
export const SUCCESS_FIELDS = 4;

/** An input whose relevant lines are found elsewhere, in its order; stack traces are read back on demand. */
export interface CorrelateCandidateInput {
  file: string;
  pod?: string | null;
  candidates: AsyncIterable<CandidateBatch>;
  /** The lines before the one starting at `offset` (numbered `line`), nearest first. */
  lookBack(offset: number, line: number): Iterable<ScannedLine>;
}

export interface CorrelateOptions {
  windowSeconds: number;
  clockOffsetSeconds?: number;
  knownConnectTimeouts?: ReadonlyMap<string, number>;
  isCancelled?: () => boolean;
  /**
   * Receives each reset as soon as the window after it has passed. When given, the result's
   * `resets` and `timeline` stay empty, so memory stays flat however many resets the logs hold.
   */
  onReset?: (reset: ResetReport) => void;
  onProgress?: (linesRead: number) => void;
}


export interface CorrelationResult {
  resets: ResetReport[];
  timeline: TimelineEvent[];
  linesRead: number;
  /** Envoy and pilot-agent lines read, access-log lines included. */
  envoyEvents: number;
  accessLogLines: number;
  appRecords: number;
  warnings: string[];
}


export const DEFAULT_WINDOW_SECONDS = 5;
/** Lines handed over at a time by line-based inputs. */
const LINE_BATCH = 2000;
/** Previous lines kept for line-based inputs, to find a stack trace's first line. */
const LOOK_BACK_LINES = 400;
const MAX_TIMELINE_EVENTS = 20_000;

/** Scans a line-based input one line at a time, remembering the last lines for look-back. */
class LineFeeder {
  private readonly scanner: LineScanner;
  private readonly texts: string[] = new Array<string>(LOOK_BACK_LINES);
  line = 0;
  /** The line before continued on this one (a CRI partial line), so this one is scanned too. */
  private scanNext = false;

  constructor(file: string, pod: string | null) {
    this.scanner = new LineScanner(file, pod);
  }

  feed(raw: string): InputItem | null {
    const at = ++this.line;
    this.texts[at % LOOK_BACK_LINES] = raw;
    const forced = this.scanNext;
    this.scanNext = false;
    if (!forced && !mayMatter(raw)) return null;
    this.scanNext = continuesOnNextLine(raw);
    return this.scanner.scan(raw, at, () => this.before(at));
  }

  private *before(line: number): Iterable<ScannedLine> {
    for (let n = line - 1; n >= 1 && n > this.line - LOOK_BACK_LINES; n--) yield { raw: this.texts[n % LOOK_BACK_LINES]!, line: n };
  }
}

interface ItemSource {
  next(): Promise<InputItem[] | null>;
  linesRead(): number;
  /** Lines too long to read whole so far. */
  cutLines(): number;
  /** Stops the input early (cancellation), releasing what reads it. */
  close?(): void;
}

function lineSource(input: CorrelateInput): ItemSource {
  const feeder = new LineFeeder(input.file, input.pod ?? null);
  const isAsync = Symbol.asyncIterator in input.lines;
  const iterator = isAsync
    ? (input.lines as AsyncIterable<string>)[Symbol.asyncIterator]()
    : (input.lines as Iterable<string>)[Symbol.iterator]();
  let done = false;
  return {
    linesRead: () => feeder.line,
    // Lines given one by one arrive whole.
    cutLines: () => 0,
    async next() {
      if (done) return null;
      const items: InputItem[] = [];
      for (let n = 0; n < LINE_BATCH; n++) {
        const r = isAsync ? await iterator.next() : (iterator.next() as IteratorResult<string>);
        if (r.done) {
          done = true;
          break;
        }
        const item = feeder.feed(r.value as string);
        if (item) items.push(item);
      }
      return items;
    },
  };
}

function byteSource(input: CorrelateByteInput): ItemSource {
  const defaultPod = input.pod ?? null;
  const scanner = new LineScanner(input.file, defaultPod);
  let items: InputItem[] = [];
  const lines = relevantLineScanner(
    (raw, line, lookBack) => {
      const item = scanner.scan(raw, line, lookBack);
      if (item) items.push(item);
    },
    (_line, endMs, address, pod) => items.push({ type: 'access-success', endMs, address, pod: pod ?? defaultPod }),
  );
  const iterator = input.chunks[Symbol.asyncIterator]();
  let done = false;
  return {
    linesRead: () => lines.linesRead,
    cutLines: () => lines.cutLines,
    async next() {
      if (done) return null;
      const r = await iterator.next();
      if (r.done) {
        done = true;
        lines.end();
      } else {
        lines.push(r.value);
      }
      const out = items;
      items = [];
      return out;
    },
    close: () => void iterator.return?.(),
  };
}

function candidateSource(input: CorrelateCandidateInput): ItemSource {
  const defaultPod = input.pod ?? null;
  const scanner = new LineScanner(input.file, defaultPod);
  const iterator = input.candidates[Symbol.asyncIterator]();
  let linesRead = 0;
  let cutLines = 0;
  return {
    linesRead: () => linesRead,
    cutLines: () => cutLines,
    async next() {
      const r = await iterator.next();
      if (r.done) return null;
      const { raws, lines, offsets, successes, successCount, pods } = r.value;
      linesRead = r.value.linesRead;
      cutLines = r.value.cutLines;
      const items: InputItem[] = [];
      // The two kinds of line, merged back into line order.
      let s = 0;
      for (let i = 0; i <= raws.length; i++) {
        const line = i < raws.length ? lines[i]! : Infinity;
        for (; s < successCount * SUCCESS_FIELDS && successes[s]! < line; s += SUCCESS_FIELDS) {
          const address = successes[s + 2]!;
          const pod = successes[s + 3]!;
          items.push({ type: 'access-success', endMs: successes[s + 1]!, address: Number.isNaN(address) ? null : address, pod: pod < 0 ? defaultPod : pods[pod]! });
        }
        if (i === raws.length) break;
        const offset = offsets[i]!;
        const item = scanner.scan(raws[i]!, line, () => input.lookBack(offset, line));
        if (item) items.push(item);
      }
      return items;
    },
    close: () => void iterator.return?.(),
  };
}

function timelineOf(reports: readonly ResetReport[], warnings: string[]): TimelineEvent[] {
  const events = new Map<string, TimelineEvent>();
  for (const report of reports) {
    if (events.size >= MAX_TIMELINE_EVENTS) {
      warnings.push(`The timeline shows the first ${MAX_TIMELINE_EVENTS} events only.`);
      break;
    }
    if (report.time !== null) {
      events.set(`${report.file}:${report.line}`, {
        time: report.time,
        side: 'app',
        kind: `reset:${report.cause}`,
        file: report.file,
        line: report.line,
        pod: report.pod,
        label: report.exception.resetCause,
      });
    }
    for (const m of report.matches) {
      const id = m.connectionId !== null ? `[C${m.connectionId}] ` : '';
      events.set(`${m.file}:${m.line}`, {
        time: m.time,
        side: 'envoy',
        kind: m.kind,
        file: m.file,
        line: m.line,
        pod: report.pod,
        label: `${id}${m.kind}${m.cluster ? ` ${m.cluster}` : ''}`,
      });
    }
  }
  return [...events.values()].sort((a, b) => a.time.localeCompare(b.time) || a.file.localeCompare(b.file) || a.line - b.line);
}

function engineFor(options: CorrelateOptions): ResetEngine {
  const windowSeconds = options.windowSeconds > 0 ? options.windowSeconds : DEFAULT_WINDOW_SECONDS;
  return new ResetEngine({
    windowMs: windowSeconds * 1000,
    clockOffsetMs: (options.clockOffsetSeconds ?? 0) * 1000,
    knownConnectTimeouts: options.knownConnectTimeouts ?? new Map(),
    ...(options.onReset ? { onReport: options.onReset } : {}),
  });
}

function resultOf(engine: ResetEngine, linesRead: number, warnings: string[]): CorrelationResult {
  engine.finish();
  warnings.push(...engine.warnings);
  if (engine.appRecords === 0) warnings.push('No connection failure (reset or Envoy HTTP error) was found in the application lines.');
  if (engine.envoyEvents === 0) warnings.push(NO_ENVOY_EVIDENCE);
  return {
    resets: engine.reports,
    timeline: timelineOf(engine.reports, warnings),
    linesRead,
    envoyEvents: engine.envoyEvents,
    accessLogLines: engine.accessLogLines,
    appRecords: engine.appRecords,
    warnings,
  };
}

/** Progress and cancellation are checked once per this many batches. */
const BATCHES_PER_CHECK = 16;

/** One input needs no merge: its items are already in its own order. */
async function correlateOne(source: ItemSource, engine: ResetEngine, options: CorrelateOptions, warnings: string[]): Promise<CorrelationResult> {
  let batches = 0;
  for (let batch = await source.next(); batch !== null; batch = await source.next()) {
    for (const item of batch) engine.add(item);
    if (++batches % BATCHES_PER_CHECK === 0) {
      options.onProgress?.(source.linesRead());
      if (options.isCancelled?.()) return cancelled(engine, source.linesRead(), warnings);
    }
  }
  options.onProgress?.(source.linesRead());
  return resultOf(engine, source.linesRead(), warnings);
}

function cancelled(engine: ResetEngine, linesRead: number, warnings: string[]): CorrelationResult {
  warnings.push(`Cancelled after ${linesRead} lines: the resets shown are from the part read so far.`);
  return resultOf(engine, linesRead, warnings);
}

/** Index of the head whose item comes first in time (unplaceable items first); -1 when all are empty. */
function earliest(engine: ResetEngine, heads: readonly (InputItem | undefined)[]): number {
  let chosen = -1;
  let chosenTime = Infinity;
  heads.forEach((item, i) => {
    if (item === undefined) return;
    const t = engine.timeOf(item) ?? -Infinity;
    if (chosen === -1 || t < chosenTime) {
      chosen = i;
      chosenTime = t;
    }
  });
  return chosen;
}

/**
 * Feeds items from all sources to the engine in time order (a k-way merge on each source's next
 * item); items that cannot be placed in time yet go first, the engine holds them until it can.
 */
export async function correlate(inputs: readonly (CorrelateInput | CorrelateByteInput | CorrelateCandidateInput)[], options: CorrelateOptions): Promise<CorrelationResult> {
  const sources = inputs.map((input) => ('chunks' in input ? byteSource(input) : 'candidates' in input ? candidateSource(input) : lineSource(input)));
  try {
    const result = await correlateSources(sources, options);
    const cut = sources.reduce((sum, s) => sum + s.cutLines(), 0);
    if (cut > 0) result.warnings.push(`${cut} line(s) longer than ${MAX_LINE_BYTES / (1024 * 1024)} MiB were read only up to that length: a failure further along such a line was not seen.`);
    return result;
  } finally {
    // Only a cancelled run leaves inputs unfinished; closing a finished one does nothing.
    for (const source of sources) source.close?.();
  }
}

async function correlateSources(sources: readonly ItemSource[], options: CorrelateOptions): Promise<CorrelationResult> {
  const engine = engineFor(options);
  const warnings: string[] = [];
  if (sources.length === 1) return correlateOne(sources[0]!, engine, options, warnings);
  const batches: (InputItem[] | null)[] = await Promise.all(sources.map((s) => s.next()));
  const positions = sources.map(() => 0);
  const linesRead = (): number => sources.reduce((sum, s) => sum + s.linesRead(), 0);
  let sinceProgress = 0;
  for (;;) {
    for (let i = 0; i < sources.length; i++) {
      // Refill an exhausted batch before comparing, so every source is represented by its next item.
      while (batches[i] !== null && positions[i]! >= batches[i]!.length) {
        batches[i] = await sources[i]!.next();
        positions[i] = 0;
        if (++sinceProgress >= BATCHES_PER_CHECK) {
          sinceProgress = 0;
          options.onProgress?.(linesRead());
          if (options.isCancelled?.()) return cancelled(engine, linesRead(), warnings);
        }
      }
    }
    const chosen = earliest(engine, batches.map((b, i) => b?.[positions[i]!]));
    if (chosen === -1) break;
    engine.add(batches[chosen]![positions[chosen]!++]!);
  }
  options.onProgress?.(linesRead());
  return resultOf(engine, linesRead(), warnings);
}

/** Splits text into lines the way readline does (LF or CRLF). */
function* splitLines(text: string): Iterable<string> {
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    yield text.slice(start, nl);
    start = nl + 1;
  }
  if (start < text.length) yield text.slice(start);
}

/** Synchronous convenience for text already in memory (editors, tests). */
export function correlateText(inputs: readonly { file: string; text: string; pod?: string | null }[], options: CorrelateOptions): CorrelationResult {
  const engine = engineFor(options);
  const warnings: string[] = [];
  const perInput: InputItem[][] = [];
  let linesRead = 0;
  for (const input of inputs) {
    const feeder = new LineFeeder(input.file, input.pod ?? null);
    const items: InputItem[] = [];
    for (const raw of splitLines(input.text)) {
      const item = feeder.feed(raw);
      if (item) items.push(item);
    }
    linesRead += feeder.line;
    perInput.push(items);
  }
  const positions = perInput.map(() => 0);
  for (;;) {
    const chosen = earliest(engine, perInput.map((items, i) => items[positions[i]!]));
    if (chosen === -1) break;
    engine.add(perInput[chosen]![positions[chosen]!++]!);
  }
  return resultOf(engine, linesRead, warnings);
}
