/**
 * Parses Envoy access-log lines in Istio's default text format (TCP `"- - -"` and HTTP
 * `"GET /path HTTP/1.1"` variants, across Istio versions whose middle fields differ) and in
 * Istio's JSON format (`start_time`, `response_flags`, `duration`, `upstream_cluster`, ...).
 */

import { parseJsonObject } from './jsonObject';
import { parseDateTimeMs } from './time';

export interface AccessLogRecord {
  readonly startMs: number;
  readonly durationMs: number | null;
  readonly responseCode: number | null;
  /** Response flags, e.g. `['UF', 'URX']`; empty for `-`. */
  readonly flags: readonly string[];
  /** `%RESPONSE_CODE_DETAILS%`, e.g. `via_upstream`, when present. */
  readonly details: string | null;
  readonly cluster: string | null;
  readonly upstreamHost: string | null;
}

const TEXT_HEAD = /^\[(\d{4}-\d\d-\d\dT[^\]]+)\] "([^"]*)" (\d{1,3}) (\S+) ?(.*)$/;
const TOKEN = /"([^"]*)"|(\S+)/g;
const DIGITS = /^\d+$/;

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

function tokenize(rest: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(rest); m; m = TOKEN.exec(rest)) {
    tokens.push(m[1] !== undefined ? { text: m[1], quoted: true } : { text: m[2]!, quoted: false });
  }
  return tokens;
}

function dashToNull(text: string | undefined): string | null {
  return text === undefined || text === '-' || text === '' ? null : text;
}

function flagList(text: string | null): string[] {
  return text === null ? [] : text.split(',').filter((f) => f !== '' && f !== '-');
}

function parseTextAccessLog(body: string): AccessLogRecord | null {
  const head = TEXT_HEAD.exec(body);
  if (!head) return null;
  const startMs = parseDateTimeMs(head[1]!);
  if (startMs === null) return null;
  const tokens = tokenize(head[5]!);
  // Bytes received, bytes sent and duration are the first run of three plain numbers; what sits
  // between the flags and them (details, termination details, failure reason) varies by Istio version.
  let numbers = -1;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if ([0, 1, 2].every((k) => !tokens[i + k]!.quoted && DIGITS.test(tokens[i + k]!.text))) {
      numbers = i;
      break;
    }
  }
  if (numbers < 0) return null;
  const details = tokens[0] && !tokens[0].quoted && numbers > 0 ? dashToNull(tokens[0].text) : null;
  let cluster: string | null = null;
  let upstreamHost: string | null = null;
  for (let i = numbers + 3; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.quoted && t.text.includes('|')) {
      cluster = t.text;
      const before = tokens[i - 1];
      upstreamHost = before?.quoted ? dashToNull(before.text) : null;
      break;
    }
  }
  return {
    startMs,
    durationMs: Number(tokens[numbers + 2]!.text),
    responseCode: Number(head[3]),
    flags: flagList(dashToNull(head[4])),
    details,
    cluster,
    upstreamHost,
  };
}

function field(o: Record<string, unknown>, name: string): string | null {
  const v = o[name];
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' ? dashToNull(v) : null;
}

function parseJsonAccessLog(body: string): AccessLogRecord | null {
  const o = parseJsonObject(body);
  if (!o) return null;
  const start = field(o, 'start_time');
  const startMs = start === null ? null : parseDateTimeMs(start);
  if (startMs === null) return null;
  const duration = field(o, 'duration');
  const code = field(o, 'response_code');
  return {
    startMs,
    durationMs: duration !== null && DIGITS.test(duration) ? Number(duration) : null,
    responseCode: code !== null && DIGITS.test(code) ? Number(code) : null,
    flags: flagList(field(o, 'response_flags')),
    details: field(o, 'response_code_details'),
    cluster: field(o, 'upstream_cluster'),
    upstreamHost: field(o, 'upstream_host'),
  };
}

export function parseEnvoyAccessLog(body: string): AccessLogRecord | null {
  const first = body.charCodeAt(0);
  if (first === 91 /* [ */) return parseTextAccessLog(body);
  if (first === 123 /* { */ && body.includes('"start_time"')) return parseJsonAccessLog(body);
  return null;
}
