/**
 * Durations as Istio and Envoy write them. One parser serves the linter (manifests), the mesh
 * explorer (Envoy config dumps) and the correlator, so `1s`, `"1.000s"` and `1000000000` agree.
 */

export type DurationParse = { ok: true; seconds: number } | { ok: false; reason: string };

const NANOS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 MICRO SIGN, as Go prints it
  'μs': 1e3, // U+03BC GREEK SMALL LETTER MU, which Go also accepts
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go keeps a duration in an int64 of nanoseconds (about 292 years): `time.ParseDuration` answers
 * `invalid duration` above it, and Istio's validation rejects such a value with it.
 */
const MAX_NANOS = 9_223_372_036_854_775_807;

/** Go's time.ParseDuration grammar; protobuf JSON (`"0.250s"`) is a subset of it. */
const GO_TERM = /([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/y;

/**
 * Parses a duration in any form Istio or Envoy emits: a Go duration string (`1m30s`, `500ms`),
 * protobuf JSON (`0.250s`), a quoted string, an integer number of nanoseconds (Go-marshalled
 * structs), or a `{seconds, nanos}` map (seconds may be a string, as protobuf int64s often are).
 */
export function parseDuration(raw: unknown): DurationParse {
  if (typeof raw === 'string') return parseGoDuration(unquote(raw));
  if (typeof raw === 'number' || typeof raw === 'bigint') return parseNanoseconds(raw);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return parseSecondsNanos(raw as Record<string, unknown>);
  return { ok: false, reason: `expected a duration, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}` };
}

function unquote(text: string): string {
  const first = text[0];
  if (text.length >= 2 && (first === '"' || first === "'") && text[text.length - 1] === first) return text.slice(1, -1);
  return text;
}

/** A value as quoted in a reason: at most 40 characters of it, so a megabyte value makes no megabyte message. */
function quoted(text: string): string {
  return text.length <= 40 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 40))}… (${text.length} characters)`;
}

/**
 * The one form protobuf JSON writes (`10s`, `0.250s`), read without the grammar's regex: config
 * dumps carry one per cluster, thousands per pod. Null for anything else, left to the grammar.
 */
function plainSeconds(text: string): number | null {
  const unit = text.length - 1;
  if (unit < 1 || text[unit] !== 's') return null;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < unit; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
    else if (code === 46 && dots === 0) dots++;
    else return null;
  }
  if (digits === 0) return null;
  // The same arithmetic as the grammar's, so both paths give the same number.
  const nanos = Number(text.slice(0, unit)) * NANOS_PER_UNIT.s;
  return nanos <= MAX_NANOS ? nanos / 1e9 : null;
}

function parseGoDuration(text: string): DurationParse {
  const plain = plainSeconds(text);
  if (plain !== null) return { ok: true, seconds: plain };
  const shown = quoted(text);
  if (text === '') return { ok: false, reason: 'empty duration' };
  let rest = text;
  let sign = 1;
  if (rest[0] === '-' || rest[0] === '+') {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  // Go accepts a bare "0" (and only that) without a unit.
  if (rest === '0') return { ok: true, seconds: 0 };
  if (rest === '') return { ok: false, reason: `invalid duration ${shown}` };
  let nanos = 0;
  GO_TERM.lastIndex = 0;
  while (GO_TERM.lastIndex < rest.length) {
    const m = GO_TERM.exec(rest);
    if (m === null) return { ok: false, reason: `invalid duration ${shown}` };
    const [, whole, fraction, unit] = m;
    if (whole === '' && (fraction === undefined || fraction === '')) return { ok: false, reason: `invalid duration ${shown}` };
    if (unit === '') return { ok: false, reason: `missing unit in duration ${shown}` };
    const scale = NANOS_PER_UNIT[unit];
    if (scale === undefined) return { ok: false, reason: `unknown unit ${quoted(unit)} in duration ${shown}` };
    nanos += Number(`${whole || '0'}.${fraction ?? ''}0`) * scale;
    if (!(nanos <= MAX_NANOS)) return { ok: false, reason: `invalid duration ${shown} (more than Go's largest duration, about 292 years)` };
  }
  return { ok: true, seconds: (sign * nanos) / 1e9 };
}

function parseNanoseconds(value: number | bigint): DurationParse {
  if (typeof value === 'number' && !Number.isInteger(value)) {
    return { ok: false, reason: `a bare number is read as nanoseconds and must be an integer, got ${value}` };
  }
  if (Math.abs(Number(value)) > MAX_NANOS) return { ok: false, reason: `${value} nanoseconds is more than Go's largest duration (about 292 years)` };
  return { ok: true, seconds: Number(value) / 1e9 };
}

function parseSecondsNanos(map: Record<string, unknown>): DurationParse {
  const unknownKey = Object.keys(map).find((k) => k !== 'seconds' && k !== 'nanos');
  if (unknownKey !== undefined) return { ok: false, reason: `unexpected field ${JSON.stringify(unknownKey)} in a {seconds, nanos} duration` };
  const seconds = integerField(map.seconds ?? 0, 'seconds');
  if (typeof seconds === 'string') return { ok: false, reason: seconds };
  const nanos = integerField(map.nanos ?? 0, 'nanos');
  if (typeof nanos === 'string') return { ok: false, reason: nanos };
  if (Math.abs(nanos) > 999_999_999) return { ok: false, reason: `nanos ${nanos} is out of range (at most 999999999)` };
  if (seconds !== 0 && nanos !== 0 && Math.sign(seconds) !== Math.sign(nanos)) {
    return { ok: false, reason: 'seconds and nanos must have the same sign' };
  }
  return { ok: true, seconds: seconds + nanos / 1e9 };
}

/** Returns the integer, or the reason it is not one. */
function integerField(value: unknown, name: string): number | string {
  const n = typeof value === 'string' && /^[-+]?[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  return `${name} must be an integer, got ${JSON.stringify(value) ?? String(value)}`;
}

/**
 * Formats seconds in Go duration syntax, dropping zero components so the result reads as a
 * person would write it: 10 -> `10s`, 0.5 -> `500ms`, 90 -> `1m30s`, 3600 -> `1h`.
 * `time.ParseDuration` and Istio accept every output.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let nanos = Math.round(Math.abs(seconds) * 1e9);
  if (nanos === 0) return '0s';
  if (nanos < 1e9) {
    const unit = nanos < 1e3 ? 'ns' : nanos < 1e6 ? 'us' : 'ms';
    return `${sign}${trimDecimal(nanos / NANOS_PER_UNIT[unit])}${unit}`;
  }
  const hours = Math.floor(nanos / 3600e9);
  nanos -= hours * 3600e9;
  const minutes = Math.floor(nanos / 60e9);
  nanos -= minutes * 60e9;
  let text = sign;
  if (hours > 0) text += `${hours}h`;
  if (minutes > 0) text += `${minutes}m`;
  if (nanos > 0) text += `${trimDecimal(nanos / 1e9)}s`;
  return text;
}

function trimDecimal(value: number): string {
  // Nine decimals cover nanosecond precision; trailing zeros carry nothing.
  return value.toFixed(9).replace(/\.?0+$/, '');
}
