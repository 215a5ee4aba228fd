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
  /** `%UPSTREAM_TRANSPORT_FAILURE_REASON%`, e.g. `delayed_connect_error:_111`. */
  readonly failureReason: string | null;
  /** `%CONNECTION_TERMINATION_DETAILS%`. */
  readonly terminationDetails: string | null;
  readonly cluster: string | null;
  readonly upstreamHost: string | null;
  /** `:authority` of an HTTP request, e.g. `orders:8080`. */
  readonly authority: string | null;
  /** The address the application connected to (a Service VIP or the upstream itself). */
  readonly downstreamLocal: string | null;
  /** The application's own address and port: identifies its connection. */
  readonly downstreamRemote: string | null;
}

const TEXT_HEAD = /^\[(\d{4}-\d\d-\d\dT[^\]]+)\] "([^"]*)" (\d{1,3}) (\S+) ?(.*)$/;
const DIGITS = /^\d+$/;

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** Whether `c` is whitespace as a regex's `\s` sees it. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The fields of `rest`: quoted strings (without their quotes) and runs of non-space; a quote
 * that is never closed starts a plain field. A loop over character codes, as every access-log
 * line is parsed: a global regex allocated a match per field and was the hottest code.
 */
function tokenize(rest: string): Token[] {
  const tokens: Token[] = [];
  const n = rest.length;
  let i = 0;
  while (i < n) {
    const c = rest.charCodeAt(i);
    if (c === 34 /* " */) {
      const close = rest.indexOf('"', i + 1);
      if (close !== -1) {
        tokens.push({ text: rest.slice(i + 1, close), quoted: true });
        i = close + 1;
        continue;
      }
    } else if (isSpace(c)) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && !isSpace(rest.charCodeAt(end))) end++;
    tokens.push({ text: rest.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

function isNumberToken(token: Token): boolean {
  return !token.quoted && DIGITS.test(token.text);
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
    if (isNumberToken(tokens[i]!) && isNumberToken(tokens[i + 1]!) && isNumberToken(tokens[i + 2]!)) {
      numbers = i;
      break;
    }
  }
  if (numbers < 0) return null;
  const details = tokens[0] && !tokens[0].quoted && numbers > 0 ? dashToNull(tokens[0].text) : null;
  const terminationDetails = numbers >= 3 && !tokens[1]!.quoted ? dashToNull(tokens[1]!.text) : null;
  const reasonToken = numbers > 0 ? tokens[numbers - 1]! : null;
  const failureReason = reasonToken?.quoted ? dashToNull(reasonToken.text) : null;
  // After the numbers: service time, "x-forwarded-for", "user-agent", "request id", "authority",
  // "upstream host", cluster, upstream local, downstream local, downstream remote (older versions stop early).
  const at = (k: number): string | null => dashToNull(tokens[numbers + k]?.text);
  let cluster = at(9);
  if (cluster !== null && (cluster.includes('"') || tokens[numbers + 9]!.quoted)) cluster = null;
  return {
    startMs,
    durationMs: Number(tokens[numbers + 2]!.text),
    responseCode: Number(head[3]),
    flags: flagList(dashToNull(head[4])),
    details,
    failureReason,
    terminationDetails,
    cluster,
    upstreamHost: at(8),
    authority: at(7),
    downstreamLocal: at(11),
    downstreamRemote: at(12),
  };
}

/** JSON access logs name fields `response_flags` (Istio) or `responseFlags` (custom formats) alike. */
function normalisedFields(o: Record<string, unknown>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, v] of Object.entries(o)) {
    const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? dashToNull(v) : null;
    if (text !== null) fields.set(key.toLowerCase().replace(/[_-]/g, ''), text);
  }
  return fields;
}

function parseJsonAccessLog(body: string): AccessLogRecord | null {
  const o = parseJsonObject(body);
  if (!o) return null;
  const f = normalisedFields(o);
  const start = f.get('starttime');
  const startMs = start === undefined ? null : parseDateTimeMs(start);
  if (startMs === null || !(f.has('responseflags') || f.has('responsecode'))) return null;
  const duration = f.get('duration');
  const code = f.get('responsecode');
  const get = (name: string): string | null => f.get(name) ?? null;
  return {
    startMs,
    durationMs: duration !== undefined && DIGITS.test(duration) ? Number(duration) : null,
    responseCode: code !== undefined && DIGITS.test(code) ? Number(code) : null,
    flags: flagList(get('responseflags')),
    details: get('responsecodedetails'),
    failureReason: get('upstreamtransportfailurereason'),
    terminationDetails: get('connectionterminationdetails'),
    cluster: get('upstreamcluster'),
    upstreamHost: get('upstreamhost'),
    authority: get('authority'),
    downstreamLocal: get('downstreamlocaladdress'),
    downstreamRemote: get('downstreamremoteaddress'),
  };
}

export function parseEnvoyAccessLog(body: string): AccessLogRecord | null {
  const first = body.charCodeAt(0);
  if (first === 91 /* [ */) return parseTextAccessLog(body);
  if (first === 123 /* { */ && (body.includes('start_time') || body.includes('startTime'))) return parseJsonAccessLog(body);
  return null;
}
