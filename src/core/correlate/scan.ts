/**
 * Turns the lines of one input into what the correlator consumes: Envoy events and application
 * reset records. Only lines that hold a marker are decoded and parsed.
 */

import type { ExceptionSummary, FindingKind, ResetCause } from './types';
import { unframeLine, type FramedLine } from '../logs/framing';
import { parseEnvoyEvent, type EnvoyEvent } from '../logs/envoyEvent';
import { summarizeReset } from '../appTrace/resetLine';
import { parseJsonAppRecord, recordTimeOfLine, startsRecord, type RecordTime } from '../appTrace/record';
import { destinationOf, recordSymptom, symptomOf, symptomRank, type Destination } from '../appTrace/symptom';
import { resolveTimeOfDay } from '../logs/time';
import { MarkedLineScanner, type CandidateHandler } from '../logs/chunkLines';
import { LogScanModule, WasmMarkerSearch, type FilterMarker } from '../logs/logScan';
import { SuccessfulAccessReader } from '../logs/successfulAccessLine';

/**
 * What every line that can matter contains at least one of: Envoy's connection events and
 * failures, pilot-agent's drain lines, every access-log line (text ones have `Z] "` after their
 * start time, JSON ones a start-time key), the application's resets (also those whose words name
 * no reset: a server that failed to respond, an empty reply, an end of stream) and the HTTP errors Envoy
 * answers with, and CRI partial lines (whose continuation may hold the rest).
 */
export const RELEVANCE_MARKERS: readonly string[] = [
  'onnect', 'clos', 'Clos', 'reset', 'RESET', 'Reset', 'timeout', 'timed out', 'TLS', 'SSL', 'healthy', 'local reply', 'duration', 'goaway', 'GOAWAY',
  'dispatch error', 'using existing', 'match for URL', 'SIG', 'exit', 'shutting down', 'rain', 'erminat', 'bort', 'Z] "', 'Z] \\"', 'tart_time', 'tartTime',
  'hang up', 'EOF', 'roken pipe', 'EPIPE', 'RST_STREAM', 'isconnect', 'rematurely', 'Bad Gateway', 'Unavailable', 'UNAVAILABLE',
  'overflow', 'overloaded', 'refused', 'upstream', 'out P ', 'err P ',
  'failed to respond', 'no bytes', 'end of file', 'Empty reply', 'end of stream', 'received from peer',
];
/** HTTP statuses Envoy answers with, as words: the digits alone are in every other timestamp. */
const STATUS_CODES: readonly string[] = ['502', '503', '504', '404'];
const STATUS_WORDS = `(?<![\\d.:-])(?:${STATUS_CODES.join('|')})(?![\\d.:-])`;
const escaped = (m: string): string => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const RELEVANT = new RegExp([...RELEVANCE_MARKERS.map(escaped), STATUS_WORDS].join('|'));
/** The markers and status words as the byte search finds them: the same test as {@link RELEVANT}. */
const FILTER_MARKERS: readonly FilterMarker[] = [...RELEVANCE_MARKERS.map((text) => ({ text })), ...STATUS_CODES.map((text) => ({ text, word: true }))];
/**
 * The marker of text access-log lines, the most common relevant lines: a substring search finds
 * it far sooner than the regex, which tries every marker at each position before it.
 */
const TEXT_ACCESS_LOG_MARKER = 'Z] "';

/** Whether a line read as text holds a marker: what the byte search below finds in bytes. */
export function mayMatter(raw: string): boolean {
  return raw.includes(TEXT_ACCESS_LOG_MARKER) || RELEVANT.test(raw);
}

/** A CRI partial line: the line after it continues it, so it is scanned too. */
const CRI_PARTIAL = /^\S+ (?:stdout|stderr) P /;
/** A CRI line that completes one (`F`): only such a line can end partial lines read before it. */
const CRI_COMPLETE = /^\S+ (?:stdout|stderr) F /;

/** CRI lines start with their time: a cheaper test than the regex for every other line. */
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function continuesOnNextLine(raw: string): boolean {
  return isDigit(raw.charCodeAt(0)) && CRI_PARTIAL.test(raw);
}

/**
 * Finds the lines of a byte stream that pass {@link mayMatter}: what the correlator scans, whether
 * on its own thread or on a worker's. Successful access-log lines go to `onSuccess` as their few
 * fields, the other lines to `onLine` as text. `historyBytes`: see {@link MarkedLineScanner}.
 */
export function relevantLineScanner(onLine: CandidateHandler, onSuccess: SuccessHandler, historyBytes?: number): MarkedLineScanner {
  // One module: the marker search loads each chunk into it, and the reader reads lines there in place.
  const module = new LogScanModule();
  const reader = new SuccessfulAccessReader(module);
  const readBytes = (data: Buffer, start: number, end: number, line: number): boolean => {
    if (!reader.read(data, start, end)) return false;
    onSuccess(line, reader.endMs, reader.address, reader.pod);
    return true;
  };
  return new MarkedLineScanner(new WasmMarkerSearch(FILTER_MARKERS, module), onLine, historyBytes, continuesOnNextLine, readBytes);
}

/** Receives a successful access-log line read from its bytes (see AccessSuccessItem); `pod`: its prefix's, or null. */
export type SuccessHandler = (line: number, endMs: number, address: number | null, pod: string | null) => void;

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
  /** Why the record has no time, when it has none. */
  readonly noTime?: string;
  readonly pod: string | null;
  readonly file: string;
  /** First line of the record. */
  readonly line: number;
  readonly exception: ExceptionSummary;
  readonly kind: FindingKind;
  /** The cause the record's own text names. */
  readonly hint: ResetCause | null;
  /** Only an HTTP status: reported only when Envoy answered it. */
  readonly statusOnly: boolean;
  readonly destination: Destination;
}

/**
 * An access-log line that records a success (no response flags, no cause): all the correlator uses
 * of one is when it ended, which client it served and its pod, so the byte reader
 * (SuccessfulAccessReader) delivers only that, and the engine keeps only that of any such line.
 */
export interface AccessSuccessItem {
  readonly type: 'access-success';
  readonly endMs: number;
  /** The client address (`downstream_remote_address`) as addressKey gives it, or null. */
  readonly address: number | string | null;
  readonly pod: string | null;
}

export type InputItem = EnvoyItem | ResetItem | AccessSuccessItem;

/** How far back a stack trace's reset line may be from its record's first line. */
const MAX_RECORD_LINES = 400;
/** Containers whose lines are the proxy's (Envoy and pilot-agent), never the application's. */
const PROXY_CONTAINERS = new Set(['istio-proxy', 'istio-init', 'istio-validation', 'envoy']);
/** Envoy's multi-line dumps (`':status', '503'`) continue an Envoy line, not an application record. */
const ENVOY_DUMP = /^(?:'[^']*', '|\s*$|headers:|trailers:)/;
/**
 * Lines that continue a record in every layout: indented or blank lines, stack frames, exception
 * names and chain markers. In a layout with no recognisable header, the nearest line above that is
 * none of these starts the record.
 */
const CONTINUATION =
  /^(?:\s|$|at |Caused by|Suppressed|Traceback|File "|During handling|The above exception|\.\.\.|---|[}\])^>]|for call at|[\w$.]+(?:Exception|Error|Throwable|Warning|Fault)\b|[a-z_]\w*(?:\.[\w$]+)+:|(?:SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST):|Error:|[A-Z]\w*Error\b|Node\.js v)/;

interface PartialLine {
  readonly line: number;
  readonly last: number;
  readonly body: string;
  readonly framed: FramedLine;
}

export class LineScanner {
  /**
   * Per pod/container: the first line of the record last reported and how strong its symptom was,
   * so one trace gives one finding (reported again only when a later line shows a stronger one).
   */
  private readonly lastRecord = new Map<string, { line: number; rank: number }>();
  /** Whether this input has shown kubectl `--timestamps` prefixes. */
  private streamTimes = false;
  /** A CRI partial line waiting for the line that completes it. */
  private partial: PartialLine | null = null;

  constructor(
    private readonly file: string,
    private readonly defaultPod: string | null,
  ) {}

  /** `raw` must already have passed {@link mayMatter} (or follow a partial line that did). */
  scan(raw: string, line: number, lookBack: LookBack): InputItem | null {
    let framed = this.unframe(raw);
    let startLine = line;
    const waiting = this.partial;
    this.partial = null;
    if (waiting && waiting.last === line - 1) {
      framed = { ...framed, body: waiting.body + framed.body, streamTimeMs: waiting.framed.streamTimeMs ?? framed.streamTimeMs };
      startLine = waiting.line;
    } else if (!framed.partial && isDigit(raw.charCodeAt(0)) && CRI_COMPLETE.test(raw)) {
      // Reading back is costly (a file read per line on the worker path): only a completing CRI line needs it.
      const joined = this.joinEarlierPartials(framed, line, lookBack);
      framed = joined.framed;
      startLine = joined.line;
    }
    if (framed.partial) {
      this.partial = { line: startLine, last: line, body: framed.body, framed };
      return null;
    }
    const body = framed.body;
    const pod = framed.pod ?? this.defaultPod;
    const envoy = parseEnvoyEvent(body);
    if (envoy === 'ignored') return null;
    if (envoy) return { type: 'envoy', event: envoy, pod, file: this.file, line: startLine, text: raw };
    if (framed.container !== null && PROXY_CONTAINERS.has(framed.container)) return null;
    if (body.charCodeAt(0) === 123 /* { */) {
      const record = parseJsonAppRecord(body);
      if (record) {
        const found = recordSymptom(record.lines);
        if (!found) return null;
        const own = record.timeMs !== null || record.timeOfDayMs !== null;
        const time = own ? withFramingDate(record, framed.streamTimeMs) : { timeMs: framed.streamTimeMs, timeOfDayMs: null };
        return this.item(time, pod, startLine, record.lines[found.index]!, record.lines, found.symptom);
      }
    }
    if (!symptomOf(body)) return null;
    return this.plainTextRecord(framed, pod, startLine, lookBack);
  }

  private unframe(raw: string): FramedLine {
    const framed = unframeLine(raw, this.streamTimes);
    if (framed.streamTimeMs !== null) this.streamTimes = true;
    return framed;
  }

  /** A CRI line completing partial lines that were not scanned (they held no marker) is joined with them. */
  private joinEarlierPartials(framed: FramedLine, line: number, lookBack: LookBack): { framed: FramedLine; line: number } {
    let body = framed.body;
    let start = line;
    let streamTimeMs = framed.streamTimeMs;
    for (const previous of lookBack()) {
      if (previous.line !== start - 1 || !continuesOnNextLine(previous.raw)) break;
      const earlier = this.unframe(previous.raw);
      body = earlier.body + body;
      streamTimeMs = earlier.streamTimeMs ?? streamTimeMs;
      start = previous.line;
    }
    return start === line ? { framed, line } : { framed: { ...framed, body, streamTimeMs }, line: start };
  }

  private item(time: RecordTime, pod: string | null, line: number, symptomLine: string, recordLines: readonly string[], symptom: NonNullable<ReturnType<typeof symptomOf>>): ResetItem {
    const noTime = time.timeMs === null && time.timeOfDayMs === null ? 'the record carries no time and no collector time frames it' : undefined;
    return {
      type: 'reset',
      time,
      ...(noTime ? { noTime } : {}),
      pod,
      file: this.file,
      line,
      exception: summarizeReset(symptomLine, recordLines),
      kind: symptom.kind,
      hint: symptom.hint,
      statusOnly: symptom.statusOnly,
      destination: destinationOf(recordLines),
    };
  }

  /**
   * A plain-text record: its first line is the nearest line above that starts a record in the
   * application's layout (a time, a level header, a crash location); a JSON line or an Envoy line
   * above ends the search, as it is a record of its own.
   */
  private plainTextRecord(framed: FramedLine, pod: string | null, line: number, lookBack: LookBack): ResetItem | null {
    const recordLines = [framed.body];
    let startLine = line;
    let start = framed;
    if (!startsRecord(framed.body)) {
      let seen = 0;
      let earliest: { line: number; framed: FramedLine } | null = null;
      let nearestPlain: { line: number; framed: FramedLine; lines: number } | null = CONTINUATION.test(framed.body) ? null : { line, framed, lines: 1 };
      let found = false;
      for (const previous of lookBack()) {
        if (previous.line >= line) continue;
        if (++seen > MAX_RECORD_LINES) break;
        const earlier = this.unframe(previous.raw);
        // Lines of other pods interleaved by `kubectl logs --prefix` belong to other records.
        if (earlier.pod !== framed.pod || earlier.container !== framed.container) continue;
        if (writtenApart(earlier, framed)) {
          found = earliest !== null;
          break;
        }
        const envoy = parseEnvoyEvent(earlier.body);
        if (envoy !== null) {
          if (recordLines.every((l) => ENVOY_DUMP.test(l))) return null;
          break;
        }
        if (earlier.body.charCodeAt(0) === 123 /* { */ && parseJsonAppRecord(earlier.body)) break;
        recordLines.push(earlier.body);
        earliest = { line: previous.line, framed: earlier };
        if (startsRecord(earlier.body)) {
          found = true;
          break;
        }
        if (nearestPlain === null && !CONTINUATION.test(earlier.body)) nearestPlain = { line: previous.line, framed: earlier, lines: recordLines.length };
      }
      if (earliest && found) {
        startLine = earliest.line;
        start = earliest.framed;
      } else if (nearestPlain) {
        startLine = nearestPlain.line;
        start = nearestPlain.framed;
        recordLines.length = nearestPlain.lines;
      } else if (earliest && seen <= MAX_RECORD_LINES) {
        startLine = earliest.line;
        start = earliest.framed;
      } else {
        recordLines.length = 1;
      }
    }
    recordLines.reverse();
    const found = recordSymptom(recordLines)!;
    const key = `${framed.pod}/${framed.container}`;
    const rank = symptomRank(found.symptom);
    const last = this.lastRecord.get(key);
    if (last?.line === startLine && last.rank >= rank) return null;
    this.lastRecord.set(key, { line: startLine, rank });
    const own = recordTimeOfLine(start.body);
    const hasOwn = own.timeMs !== null || own.timeOfDayMs !== null;
    const time = hasOwn ? withFramingDate(own, start.streamTimeMs) : { timeMs: start.streamTimeMs, timeOfDayMs: null };
    return this.item(time, pod, startLine, recordLines[found.index]!, recordLines, found.symptom);
  }
}

/**
 * A multi-line record is written at once, so its lines' collector times (Docker, CRI, kubectl
 * --timestamps) agree; a line framed over a second earlier belongs to an earlier record, even when
 * the record's own first line (a bare Python traceback) carries no time of its own.
 */
const SAME_WRITE_MS = 1000;

function writtenApart(earlier: FramedLine, later: FramedLine): boolean {
  return earlier.streamTimeMs !== null && later.streamTimeMs !== null && later.streamTimeMs - earlier.streamTimeMs > SAME_WRITE_MS;
}

/** A time of day alone is placed on the collector's date when the line is framed with one. */
function withFramingDate(time: RecordTime, streamTimeMs: number | null): RecordTime {
  if (time.timeMs !== null || time.timeOfDayMs === null || streamTimeMs === null) return time;
  return { timeMs: resolveTimeOfDay(time.timeOfDayMs, streamTimeMs), timeOfDayMs: null, ...(time.precisionMs ? { precisionMs: time.precisionMs } : {}) };
}
