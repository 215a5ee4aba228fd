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
  // Seconds past 60 (a leap second) go to the full parser, which rejects them.
  if (tens < 0 || ones < 0 || tens * 10 + ones > 60) return null;
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
  // An explicit offset, after a space or not, goes through the full parser.
  const zoneAt = next === 32 ? text.charCodeAt(i + 1) : next;
  if (zoneAt === 43 /* + */ || zoneAt === 45 /* - */ || (next === 32 && digit(text, i + 1) >= 0)) return null;
  return ms;
}

/**
 * The start of a UTC minute, or null for a date or time that does not exist (30 February, hour 24):
 * such a line's time is missing, not moved to a neighbouring day. Date.UTC is not used because it
 * maps years 0–99 to 1900–1999.
 */
function utcMinuteMs(year: number, month: number, day: number, hour: number, minute: number): number | null {
  if (hour > 23 || minute > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime() + (hour * 60 + minute) * 60_000;
}

/** Parses a date and time at the start of `text` (ISO 8601, `2020-05-29 22:04:05.063`, `2024/01/01 12:00:00`). */
export function parseDateTimeMs(text: string): number | null {
  const fast = parseWithinCachedMinute(text);
  if (fast !== null) return fast;
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const minuteMs = utcMinuteMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  if (minuteMs === null || Number(m[6]) > 60) return null;
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

/** 0000-01-01T00:00:00Z and the end of 9999: the times a four-digit log timestamp can spell. */
const FIRST_LOG_MS = -62_167_219_200_000;
const END_LOG_MS = 253_402_300_800_000;

/**
 * `ms` when it lies in years 0000–9999, otherwise null. Epoch numbers from JSON logs can be any
 * size; kept in this range, a time plus the (bounded) clock offset still prints with toIsoUtc.
 */
export function logTimeMs(ms: number): number | null {
  return ms >= FIRST_LOG_MS && ms < END_LOG_MS ? ms : null;
}

export function toIsoUtc(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
