/**
 * Application log records: where a record starts (a multi-line stack trace belongs to the record
 * whose first line carries the time) and what time it carries. Layouts: logback/log4j
 * `2024-01-01 12:00:00.123 ERROR ...`, ISO with an offset, `HH:mm:ss.SSS` without a date, Go's
 * `2024/01/01 12:00:00`, logfmt `time=...`, Ruby's Logger `E, [2024-01-01T12:00:00.123456 #1] ERROR -- :`,
 * logstash JSON lines (also log4j2's JsonLayout `instant` / `timeMillis` and OpenTelemetry's
 * `timeUnixNano`, Monolog's JsonFormatter `datetime`), and the `field: value` layout a log dashboard shows (`@timestamp: ...` first).
 */

import { parseJsonObject } from '../logs/jsonObject';
import { logTimeMs, parseDateTimeMs, parseTimeOfDayMs } from '../logs/time';

export interface RecordTime {
  /** Epoch milliseconds when the record has a date. */
  readonly timeMs: number | null;
  /** Milliseconds since midnight when the record has a time but no date. */
  readonly timeOfDayMs: number | null;
  /** How long the written time spans: 1000 for `12:00:00` (an interval of a second), 1 for milliseconds. */
  readonly precisionMs?: number;
}

const NO_TIME: RecordTime = { timeMs: null, timeOfDayMs: null };
const FRACTION = /\d\d:\d\d:\d\d[.,]\d/;
/** java.util.logging's first line: `Jul 25, 2019 9:46:09 PM com.example.Class method`. */
const JUL_TIME = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d\d):(\d\d) ([AP]M) /;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/**
 * First lines of records that carry no time: the .NET console logger (`fail: Category[0]`),
 * Python logging's default format (`ERROR:name:message`), logfmt starting with the level, and the
 * location line Node prints first when a process dies of an uncaught error (`/app/x.js:31`).
 */
const UNTIMED_HEADER = /^(?:(?:fail|crit|warn|info|dbug|trce): \S|(?:CRITICAL|ERROR|WARNING|INFO|DEBUG):[\w.<>-]*:|(?:level|lvl)=\w+ |(?:\/|node:|file:|[A-Za-z]:\\)\S*:\d+\s*$)/;
const LOGFMT_ANY_TIME = /(?:^|\s)(?:time|ts|t)="?(\d[^"\s]*)/;

function julTime(m: RegExpExecArray): RecordTime {
  const month = MONTHS.indexOf(m[1]!);
  let hour = Number(m[4]) % 12;
  if (m[7] === 'PM') hour += 12;
  if (month < 0 || hour > 23) return NO_TIME;
  const ms = Date.UTC(Number(m[3]), month, Number(m[2]), hour, Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? NO_TIME : { timeMs: ms, timeOfDayMs: null, precisionMs: 1000 };
}
const DASHBOARD_TIME = /^@?timestamp: (.*)$/;
/** Ruby's Logger (and Rails): a severity letter, then `[time #pid]`. */
const RUBY_LOGGER_TIME = /^[DIWEFAU], \[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(?: #\d+)?\]/;
const LOGFMT_TIME = /^(?:time|ts)="?([^"\s]+)/;
const JSON_TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', 'Timestamp', '@t', 'asctime', 'instant', 'timeMillis', 'timeUnixNano', 'observedTimeUnixNano', 'datetime'] as const;

function timeOfText(text: string): RecordTime {
  const precisionMs = FRACTION.test(text.slice(0, 40)) ? 1 : 1000;
  const dated = parseDateTimeMs(text);
  if (dated !== null) return { timeMs: dated, timeOfDayMs: null, precisionMs };
  const timeOfDay = parseTimeOfDayMs(text);
  return timeOfDay === null ? NO_TIME : { timeMs: null, timeOfDayMs: timeOfDay, precisionMs };
}

/** The time at the start of a plain-text record line, or none. */
export function recordTimeOfLine(body: string): RecordTime {
  const first = body.charCodeAt(0);
  if (first >= 48 && first <= 57) return timeOfText(body);
  if (first === 91 /* [ */) return timeOfText(body.slice(1));
  if (first === 64 /* @ */ || first === 116 /* t */) {
    const m = DASHBOARD_TIME.exec(body) ?? LOGFMT_TIME.exec(body);
    if (m) return timeOfText(m[1]!);
  }
  if (first === 108 /* l */) {
    const m = LOGFMT_ANY_TIME.exec(body);
    if (m && /^(?:level|lvl)=/.test(body)) return timeOfText(m[1]!);
  }
  if (first >= 65 && first <= 90) {
    const m = JUL_TIME.exec(body);
    if (m) return julTime(m);
    const ruby = RUBY_LOGGER_TIME.exec(body);
    if (ruby) return timeOfText(ruby[1]!);
  }
  return NO_TIME;
}

/** True when the line begins a new record (so a stack trace above it belongs to another record). */
export function startsRecord(body: string): boolean {
  const first = body.charCodeAt(0);
  if (first === 123 /* { */) return true;
  const time = recordTimeOfLine(body);
  return time.timeMs !== null || time.timeOfDayMs !== null || UNTIMED_HEADER.test(body);
}

export interface JsonAppRecord extends RecordTime {
  /** `message` then the lines of `stack_trace` (or `exception`, `error`). */
  readonly lines: readonly string[];
}

/** log4j2 JsonLayout's `instant: { epochSecond, nanoOfSecond }`. */
function instantTime(o: Record<string, unknown>): RecordTime {
  const seconds = o['epochSecond'];
  const nanos = o['nanoOfSecond'];
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) return NO_TIME;
  const fraction = typeof nanos === 'number' && nanos >= 0 && nanos < 1e9 ? Math.floor(nanos / 1e6) : 0;
  return { timeMs: logTimeMs(seconds * 1000 + fraction), timeOfDayMs: null, precisionMs: typeof nanos === 'number' ? 1 : 1000 };
}

/** OpenTelemetry's `timeUnixNano` (a decimal string or a number of nanoseconds). */
const UNIX_NANOS = /^\d{16,19}$/;

function jsonTime(value: unknown, key: string): RecordTime {
  if (key.endsWith('UnixNano')) {
    const digits = typeof value === 'number' ? value.toFixed(0) : typeof value === 'string' ? value : '';
    return UNIX_NANOS.test(digits) ? { timeMs: logTimeMs(Number(digits.slice(0, -6))), timeOfDayMs: null, precisionMs: 1 } : NO_TIME;
  }
  if (key === 'instant') return typeof value === 'object' && value !== null ? instantTime(value as Record<string, unknown>) : NO_TIME;
  if (typeof value === 'string') return timeOfText(value);
  // Epoch numbers: seconds (zap's `ts`) or milliseconds; one past year 9999 is no time.
  if (typeof value === 'number') return { timeMs: logTimeMs(value < 1e11 ? value * 1000 : value), timeOfDayMs: null, precisionMs: Number.isInteger(value) && value < 1e11 ? 1000 : 1 };
  return NO_TIME;
}

/** Parses a logstash-style JSON line; null when the line is not a JSON object. */
export function parseJsonAppRecord(body: string): JsonAppRecord | null {
  const o = parseJsonObject(body);
  if (!o) return null;
  let time = NO_TIME;
  for (const key of JSON_TIME_KEYS) {
    if (key in o) {
      time = jsonTime(o[key], key);
      break;
    }
  }
  const lines: string[] = [];
  collectText(o, lines, 0);
  return { ...time, lines };
}

/** Keys whose text is the message first, then the error and its stack (pino's `err`, logstash's `stack_trace`). */
const MESSAGE_KEYS = ['message', 'msg', '@m', 'error', 'err', 'exception', 'stack_trace', '@x'];
/** Keys that hold no message: times, levels and the logger's own bookkeeping. */
const SKIPPED_KEYS = new Set<string>([...JSON_TIME_KEYS, 'level', 'lvl', 'severity', '@version', 'level_value', 'logger_name', 'thread_name', 'caller', 'pid', 'hostname', 'v', 'name']);
const MAX_DEPTH = 4;
const MAX_LINES = 400;

/** Every string in the record (nested errors too), message keys first, split into lines. */
function collectText(value: unknown, lines: string[], depth: number): void {
  if (lines.length >= MAX_LINES) return;
  if (typeof value === 'string') {
    for (const line of value.split(/\r?\n/)) if (lines.length < MAX_LINES) lines.push(line);
    return;
  }
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  const ordered = [...MESSAGE_KEYS.filter((k) => k in o), ...keys.filter((k) => !MESSAGE_KEYS.includes(k) && !SKIPPED_KEYS.has(k))];
  for (const key of ordered) collectText(o[key], lines, depth + 1);
}
