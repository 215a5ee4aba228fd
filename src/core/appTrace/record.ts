/**
 * Application log records: where a record starts (a multi-line stack trace belongs to the record
 * whose first line carries the time) and what time it carries. Layouts: logback/log4j
 * `2024-01-01 12:00:00.123 ERROR ...`, ISO with an offset, `HH:mm:ss.SSS` without a date, Go's
 * `2024/01/01 12:00:00`, logfmt `time=...`, logstash JSON lines, and the `field: value` layout a
 * log dashboard shows (`@timestamp: ...` first).
 */

import { parseJsonObject } from '../logs/jsonObject';
import { logTimeMs, parseDateTimeMs, parseTimeOfDayMs } from '../logs/time';

export interface RecordTime {
  /** Epoch milliseconds when the record has a date. */
  readonly timeMs: number | null;
  /** Milliseconds since midnight when the record has a time but no date. */
  readonly timeOfDayMs: number | null;
}

const NO_TIME: RecordTime = { timeMs: null, timeOfDayMs: null };
const DASHBOARD_TIME = /^@?timestamp: (.*)$/;
const LOGFMT_TIME = /^(?:time|ts)="?([^"\s]+)/;
const JSON_TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts'] as const;

function timeOfText(text: string): RecordTime {
  const dated = parseDateTimeMs(text);
  if (dated !== null) return { timeMs: dated, timeOfDayMs: null };
  const timeOfDay = parseTimeOfDayMs(text);
  return timeOfDay === null ? NO_TIME : { timeMs: null, timeOfDayMs: timeOfDay };
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
  return NO_TIME;
}

/** True when the line begins a new record (so a stack trace above it belongs to another record). */
export function startsRecord(body: string): boolean {
  const first = body.charCodeAt(0);
  if (first === 123 /* { */) return true;
  const time = recordTimeOfLine(body);
  return time.timeMs !== null || time.timeOfDayMs !== null;
}

export interface JsonAppRecord extends RecordTime {
  /** `message` then the lines of `stack_trace` (or `exception`, `error`). */
  readonly lines: readonly string[];
}

function jsonTime(value: unknown): RecordTime {
  if (typeof value === 'string') return timeOfText(value);
  // Epoch numbers: seconds (zap's `ts`) or milliseconds; one past year 9999 is no time.
  if (typeof value === 'number') return { timeMs: logTimeMs(value < 1e11 ? value * 1000 : value), timeOfDayMs: null };
  return NO_TIME;
}

/** Parses a logstash-style JSON line; null when the line is not a JSON object. */
export function parseJsonAppRecord(body: string): JsonAppRecord | null {
  const o = parseJsonObject(body);
  if (!o) return null;
  let time = NO_TIME;
  for (const key of JSON_TIME_KEYS) {
    if (key in o) {
      time = jsonTime(o[key]);
      break;
    }
  }
  const lines: string[] = [];
  for (const key of ['message', 'msg', 'stack_trace', 'exception', 'error', 'err']) {
    const v = o[key];
    if (typeof v === 'string') lines.push(...v.split(/\r?\n/));
  }
  return { ...time, lines };
}
