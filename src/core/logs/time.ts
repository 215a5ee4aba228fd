/**
 * Timestamp parsing shared by the Envoy and application parsers. Times are milliseconds since the
 * epoch (UTC). A timestamp without a zone is taken as UTC: Envoy's `[2020-05-29 22:04:05.063]`
 * carries none and Istio sidecars run with TZ unset, so it is UTC; application logs without a zone
 * are assumed UTC too, and a known skew is corrected with the correlator's clock offset.
 */

const DATE_TIME = /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d)?/;
const TIME_OF_DAY = /^(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(?!\d)/;
const DAY_MS = 86_400_000;

function fractionMs(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number((fraction + '00').slice(0, 3)) + (fraction.length > 3 ? Number('0.' + fraction.slice(3)) : 0);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

// Consecutive log lines share their date, hour and minute: the last UTC minute parsed is remembered
// so most lines need only their seconds read (this runs for every relevant line of a gigabyte log).
let cachedMinute = '';
let cachedMinuteMs = 0;

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Seconds, fraction and zone after a cached minute; null when the text needs the full parser. */
function parseWithinCachedMinute(text: string): number | null {
  if (cachedMinute === '' || !text.startsWith(cachedMinute) || text.charCodeAt(16) !== 58 /* : */) return null;
  const tens = digit(text, 17);
  const ones = digit(text, 18);
  if (tens < 0 || ones < 0) return null;
  let ms = cachedMinuteMs + (tens * 10 + ones) * 1000;
  let i = 19;
  const separator = text.charCodeAt(i);
  if (separator === 46 /* . */ || separator === 44 /* , */) {
    let scale = 100;
    for (i++; digit(text, i) >= 0; i++) {
      ms += digit(text, i) * scale;
      scale /= 10;
    }
  }
  const next = text.charCodeAt(i);
  // An explicit offset (or a space that may precede one) goes through the full parser.
  if (next === 43 /* + */ || next === 45 /* - */ || next === 32) return null;
  return ms;
}

/** Parses a date and time at the start of `text` (ISO 8601, `2020-05-29 22:04:05.063`, `2024/01/01 12:00:00`). */
export function parseDateTimeMs(text: string): number | null {
  const fast = parseWithinCachedMinute(text);
  if (fast !== null) return fast;
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const minuteMs = Date.UTC(Number(m[1]), month - 1, day, Number(m[4]), Number(m[5]));
  if (m[8] === undefined || m[8] === 'Z') {
    cachedMinute = text.slice(0, 16);
    cachedMinuteMs = minuteMs;
  }
  return minuteMs + Number(m[6]) * 1000 + fractionMs(m[7]) - zoneOffsetMs(m[8]);
}

/** Parses `HH:mm:ss.SSS` at the start of `text`: milliseconds since midnight, or null. */
export function parseTimeOfDayMs(text: string): number | null {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return null;
  const hours = Number(m[1]);
  if (hours > 23 || Number(m[2]) > 59 || Number(m[3]) > 60) return null;
  return ((hours * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + fractionMs(m[4]);
}

/** Places a time of day on the day of `referenceMs`, choosing the neighbouring day when that is closer (midnight roll-over). */
export function resolveTimeOfDay(timeOfDayMs: number, referenceMs: number): number {
  const dayStart = Math.floor(referenceMs / DAY_MS) * DAY_MS;
  let candidate = dayStart + timeOfDayMs;
  if (candidate - referenceMs > DAY_MS / 2) candidate -= DAY_MS;
  else if (referenceMs - candidate > DAY_MS / 2) candidate += DAY_MS;
  return candidate;
}

export function toIsoUtc(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
