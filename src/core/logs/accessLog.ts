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

/** Whether `c` is whitespace as a regex's `\s` sees it. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The fields of one line: quoted strings (without their quotes) and runs of non-space; a quote
 * that is never closed starts a plain field. Split only as far as a field is asked for, kept as
 * bounds in arrays reused from line to line, and only the fields read are cut out: a string and an
 * object per field was most of the garbage of a gigabyte log, every access-log line being parsed.
 */
class Fields {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private quotedFlags = new Uint8Array(64);
  private text = '';
  /** Where splitting goes on. */
  private at = 0;
  private count = 0;

  begin(text: string): void {
    this.text = text;
    this.at = 0;
    this.count = 0;
  }

  /** Whether field `i` exists, splitting up to it. */
  has(i: number): boolean {
    const text = this.text;
    const n = text.length;
    let p = this.at;
    while (this.count <= i && p < n) {
      const c = text.charCodeAt(p);
      if (c === 34 /* " */) {
        const close = text.indexOf('"', p + 1);
        if (close !== -1) {
          this.add(p + 1, close, 1);
          p = close + 1;
          continue;
        }
      } else if (isSpace(c)) {
        p++;
        continue;
      }
      let end = p + 1;
      while (end < n && !isSpace(text.charCodeAt(end))) end++;
      this.add(p, end, 0);
      p = end;
    }
    this.at = p;
    return i < this.count;
  }

  private add(start: number, end: number, quoted: number): void {
    if (this.count === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts, (n) => new Int32Array(n));
      this.ends = grow(this.ends, (n) => new Int32Array(n));
      this.quotedFlags = grow(this.quotedFlags, (n) => new Uint8Array(n));
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.quotedFlags[this.count] = quoted;
    this.count++;
  }

  quoted(i: number): boolean {
    return this.has(i) && this.quotedFlags[i] === 1;
  }

  /** A plain field of digits only. */
  isNumber(i: number): boolean {
    if (!this.has(i) || this.quoted(i)) return false;
    for (let k = this.starts[i]!; k < this.ends[i]!; k++) {
      const c = this.text.charCodeAt(k);
      if (c < 48 || c > 57) return false;
    }
    return true;
  }

  /** Field `i`'s text, null when absent, empty or `-`. */
  value(i: number): string | null {
    if (!this.has(i)) return null;
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end === start || (end === start + 1 && this.text.charCodeAt(start) === 45 /* - */)) return null;
    return this.text.slice(start, end);
  }
}

const fields = new Fields();

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
  fields.begin(head[5]!);
  // Bytes received, bytes sent and duration are the first run of three plain numbers; what sits
  // between the flags and them (details, termination details, failure reason) varies by Istio version.
  let numbers = -1;
  for (let i = 0; fields.has(i + 2); i++) {
    if (fields.isNumber(i) && fields.isNumber(i + 1) && fields.isNumber(i + 2)) {
      numbers = i;
      break;
    }
  }
  if (numbers < 0) return null;
  const details = numbers > 0 && !fields.quoted(0) ? fields.value(0) : null;
  const terminationDetails = numbers >= 3 && !fields.quoted(1) ? fields.value(1) : null;
  const failureReason = numbers > 0 && fields.quoted(numbers - 1) ? fields.value(numbers - 1) : null;
  // After the numbers: service time, "x-forwarded-for", "user-agent", "request id", "authority",
  // "upstream host", cluster, upstream local, downstream local, downstream remote (older versions stop early).
  const at = numbers;
  let cluster = fields.value(at + 9);
  if (cluster !== null && (cluster.includes('"') || fields.quoted(at + 9))) cluster = null;
  return {
    startMs,
    durationMs: Number(fields.value(at + 2) ?? ''),
    responseCode: Number(head[3]),
    flags: flagList(dashToNull(head[4])),
    details,
    failureReason,
    terminationDetails,
    cluster,
    upstreamHost: fields.value(at + 8),
    authority: fields.value(at + 7),
    downstreamLocal: fields.value(at + 11),
    downstreamRemote: fields.value(at + 12),
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
