/**
 * Turns the lines of one input into what the correlator consumes: Envoy events and application
 * reset records. Only lines that pass a cheap substring pre-check reach a regex.
 */

import type { ExceptionSummary } from './types';
import { unframeLine, type FramedLine } from '../logs/framing';
import { parseEnvoyEvent, type EnvoyEvent } from '../logs/envoyEvent';
import { mentionsConnectionReset, summarizeReset } from '../appTrace/resetLine';
import { parseJsonAppRecord, recordTimeOfLine, startsRecord, type RecordTime } from '../appTrace/record';
import { MarkedLineScanner, type CandidateHandler } from '../logs/chunkLines';

/**
 * Substrings at least one of which every line that can matter contains: Envoy's connection events
 * (`connect...`, `clos...`, `upstream reset`), access-log failure flags, and application resets
 * (`Connection reset`, Python's `... Connection reset by peer`, Node's `ECONNRESET`). Each costs a
 * pass over the bytes, so the list is kept short.
 */
export const RELEVANCE_MARKERS: readonly string[] = ['connect', 'clos', 'reset', 'RESET', 'UF', 'UC', 'UR', 'UH', 'DC', 'LR'];
const RELEVANT = new RegExp(RELEVANCE_MARKERS.join('|'));

/**
 * What every line that can matter also holds, chosen to be cheap to find in bytes: Envoy's
 * connection events carry `[C<id>]` (or `ConnectionId`, `Creating connection`); Java, Python and
 * Node resets say `Connection` or `ECONNRESET`; failure flags are `U*`, `LR`, `DC`; Go's lowercase
 * reset is ECONNRESET's text, `connection reset by peer`. A byte that is rare in logs is found at
 * memory speed (memchr), and `by peer` nearly so (`b` is the rarest lowercase letter in it),
 * whereas a word starting with a common letter costs a native step per occurrence of that letter
 * (`n reset` alone cost more than all the rest). The byte scanner looks for these and leaves
 * {@link RELEVANCE_MARKERS} to the few lines they find.
 */
export const RELEVANCE_ANCHORS: readonly string[] = ['C', 'U', 'L', 'by peer'];
const ANCHORED = new RegExp(RELEVANCE_ANCHORS.join('|'));

/** Both input kinds apply the same test, so a log gives the same resets as text or as bytes. */
export function mayMatter(raw: string): boolean {
  return ANCHORED.test(raw) && RELEVANT.test(raw);
}

/**
 * Finds the lines of a byte stream that pass {@link mayMatter}: what the correlator scans, whether
 * on its own thread or on a worker's. `historyBytes`: see {@link MarkedLineScanner}.
 */
export function relevantLineScanner(onLine: CandidateHandler, historyBytes?: number): MarkedLineScanner {
  return new MarkedLineScanner(
    RELEVANCE_ANCHORS,
    (raw, line, lookBack, offset) => {
      // The scanner found an anchor already: only the markers remain to test.
      if (RELEVANT.test(raw)) onLine(raw, line, lookBack, offset);
    },
    historyBytes,
  );
}

export interface ScannedLine {
  readonly raw: string;
  /** 1-based. */
  readonly line: number;
}

/** Lines before the current one in the same input, nearest first. */
export type LookBack = () => Iterable<ScannedLine>;

export interface EnvoyItem {
  readonly type: 'envoy';
  readonly event: EnvoyEvent;
  readonly pod: string | null;
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export interface ResetItem {
  readonly type: 'reset';
  readonly time: RecordTime;
  readonly pod: string | null;
  readonly file: string;
  /** First line of the record. */
  readonly line: number;
  readonly exception: ExceptionSummary;
}

export type InputItem = EnvoyItem | ResetItem;

/** How far back a stack trace's reset line may be from its record's first line. */
const MAX_RECORD_LINES = 400;

export class LineScanner {
  /** Per pod/container: the first line of the record last reported, so one trace gives one reset. */
  private readonly lastRecordLine = new Map<string, number>();
  /** Whether this input has shown kubectl `--timestamps` prefixes. */
  private streamTimes = false;

  constructor(
    private readonly file: string,
    private readonly defaultPod: string | null,
  ) {}

  /** `raw` must already have passed {@link mayMatter}. */
  scan(raw: string, line: number, lookBack: LookBack): InputItem | null {
    const framed = this.unframe(raw);
    const pod = framed.pod ?? this.defaultPod;
    const envoy = parseEnvoyEvent(framed.body);
    if (envoy === 'ignored') return null;
    if (envoy) return { type: 'envoy', event: envoy, pod, file: this.file, line, text: raw };
    if (!mentionsConnectionReset(framed.body)) return null;
    if (framed.body.charCodeAt(0) === 123 /* { */) {
      const record = parseJsonAppRecord(framed.body);
      if (record) {
        const resetLine = record.lines.find(mentionsConnectionReset) ?? framed.body;
        const time = record.timeMs === null && record.timeOfDayMs === null ? { timeMs: framed.streamTimeMs, timeOfDayMs: null } : record;
        return { type: 'reset', time, pod, file: this.file, line, exception: summarizeReset(resetLine, record.lines) };
      }
    }
    return this.plainTextReset(framed.body, framed.streamTimeMs, framed.pod, framed.container, pod, line, lookBack);
  }

  private unframe(raw: string): FramedLine {
    const framed = unframeLine(raw, this.streamTimes);
    if (framed.streamTimeMs !== null) this.streamTimes = true;
    return framed;
  }

  private plainTextReset(
    body: string,
    streamTimeMs: number | null,
    framePod: string | null,
    frameContainer: string | null,
    pod: string | null,
    line: number,
    lookBack: LookBack,
  ): ResetItem | null {
    const recordLines = [body];
    let startLine = line;
    let startBody = body;
    let startStreamTime = streamTimeMs;
    if (!startsRecord(body)) {
      let seen = 0;
      for (const previous of lookBack()) {
        if (++seen > MAX_RECORD_LINES) break;
        const framed = this.unframe(previous.raw);
        // Lines of other pods interleaved by `kubectl logs --prefix` belong to other records.
        if (framed.pod !== framePod || framed.container !== frameContainer) continue;
        recordLines.push(framed.body);
        if (startsRecord(framed.body)) {
          startLine = previous.line;
          startBody = framed.body;
          startStreamTime = framed.streamTimeMs;
          break;
        }
      }
      if (startLine === line) recordLines.length = 1;
    }
    const key = `${framePod}/${frameContainer}`;
    if (this.lastRecordLine.get(key) === startLine) return null;
    this.lastRecordLine.set(key, startLine);
    const own = recordTimeOfLine(startBody);
    const time = own.timeMs === null && own.timeOfDayMs === null ? { timeMs: startStreamTime, timeOfDayMs: null } : own;
    return { type: 'reset', time, pod, file: this.file, line: startLine, exception: summarizeReset(body, recordLines.reverse()) };
  }
}
