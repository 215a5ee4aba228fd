// AssemblyScript, compiled by scripts/buildWasm.mjs into src/core/logs/logScanWasm.ts: the two
// loops that see nearly every byte of a log the correlator reads (src/core/logs/logScan.ts).
//
// find: the first of many short markers in a buffer: the relevance test the correlator runs over
// every byte of a log, where a regex alternation ran at a third of grep's speed. Each marker is
// entered under three of its bytes in a row (chosen by the caller to be rare together). Sixteen positions
// at a time, SIMD lookups reject those whose byte is no triple's first byte, or whose next byte no
// triple's second, or the byte after that no triple's third (exact 128-bit set tests, a nibble
// table lookup each); a bitmap of all 65,536 pairs (a triple's first two bytes) rejects most of the
// rest with one load, and the few positions it passes are verified against the markers entered
// under that pair.
//
// Memory, laid out here and read by the caller through the exported offsets:
//   PAIR_BITS    65,536 bits, set for the pairs markers are entered under
//   PAIR_HEADS   per pair, the 1-based index of its first entry (0: none)
//   ENTRIES      8 bytes each: u32 marker bytes' address (bit 31: a status word, see below),
//                u8 length, u8 offset of the pair in the marker, u16 next entry of the same pair
//   MARKER_BYTES the markers' bytes
//   FIELDS       the fields readSuccess splits a line into: u32 starts, u32 ends, u8 quoted flags
//   FIRST_BYTES, SECOND_BYTES, THIRD_BYTES  the triples' bytes by place, as 16-byte nibble tables:
//                entry `b & 15` has bit `b >> 4` set (printable ASCII only: bytes above 127 are in none)
//   DATA_START   the buffer searched, growing memory as the caller needs

export const PAIR_BITS: u32 = 0;
export const PAIR_HEADS: u32 = 8192;
export const ENTRIES: u32 = 139264;
export const MAX_ENTRIES: u32 = 4096;
export const MARKER_BYTES: u32 = 172032;
export const MAX_MARKER_BYTES: u32 = 24576;
const MAX_FIELDS: u32 = 64;
const FIELD_STARTS: u32 = 196608;
const FIELD_ENDS: u32 = FIELD_STARTS + MAX_FIELDS * 4;
const FIELD_QUOTED: u32 = FIELD_ENDS + MAX_FIELDS * 4;
export const FIRST_BYTES: u32 = 197632;
export const SECOND_BYTES: u32 = FIRST_BYTES + 16;
export const THIRD_BYTES: u32 = SECOND_BYTES + 16;
export const DATA_START: u32 = 200704;

const WORD_BIT: u32 = 0x80000000;

/** A byte that continues a number (a digit, `.`, `:` or `-`): a status code beside one is no word. */
function extendsNumber(c: u32): bool {
  return (c >= 48 && c <= 57) || c == 46 || c == 58 || c == 45;
}

/** Whether the marker of entry `e` occurs at `s`, within [from, end). */
function matchesAt(e: u32, s: i64, from: u32, end: u32): bool {
  const head = load<u32>(e);
  const bytes = head & ~WORD_BIT;
  const length: u32 = load<u8>(e + 4);
  if (s < <i64>from || <u64>s + <u64>length > <u64>end) return false;
  const at = <u32>s;
  for (let j: u32 = 0; j < length; j++) {
    if (load<u8>(at + j) != load<u8>(bytes + j)) return false;
  }
  if ((head & WORD_BIT) == 0) return true;
  // A status word: the byte before and the byte after must not extend a number (the buffer's
  // ends count as boundaries, as the caller passes whole lines).
  if (at > from && extendsNumber(load<u8>(at - 1))) return false;
  return at + length >= end || !extendsNumber(load<u8>(at + length));
}

/** The marker entered under the pair at `at` that starts earliest and occurs within [from, end), or -1. */
function markerAt(at: u32, from: u32, end: u32): i64 {
  const pair: u32 = load<u16>(at);
  if ((load<u32>(PAIR_BITS + ((pair >> 5) << 2)) & (1 << (pair & 31))) == 0) return -1;
  let best: i64 = -1;
  for (let index: u32 = load<u16>(PAIR_HEADS + (pair << 1)); index != 0; ) {
    const e = ENTRIES + ((index - 1) << 3);
    const s: i64 = <i64>at - <i64>load<u8>(e + 5);
    if ((best < 0 || s < best) && matchesAt(e, s, from, end)) best = s;
    index = load<u16>(e + 6);
  }
  return best;
}

/** Lanes whose byte is in the set `table` describes (see FIRST_BYTES), as 0xff. */
@inline
function inSet(bytes: v128, table: v128): v128 {
  const lowNibbles = v128.and(bytes, i8x16.splat(0x0f));
  const highBits = i8x16.swizzle(i8x16(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0), i8x16.shr_u(bytes, 4));
  return i8x16.ne(v128.and(i8x16.swizzle(table, lowNibbles), highBits), i8x16.splat(0));
}

/** Where the first marker occurs in [from, end), or -1. */
export function find(from: u32, end: u32): i32 {
  if (end < from + 2) return -1;
  const first = v128.load(FIRST_BYTES);
  const second = v128.load(SECOND_BYTES);
  const third = v128.load(THIRD_BYTES);
  let at = from;
  // Triples starting at..at+15 need bytes at..at+17.
  for (; at + 18 <= end; at += 16) {
    const hits = v128.and(v128.and(inSet(v128.load(at), first), inSet(v128.load(at + 1), second)), inSet(v128.load(at + 2), third));
    // Positions in order, so the first marker verified is the earliest: each is within its line.
    for (let mask = i8x16.bitmask(hits); mask != 0; mask &= mask - 1) {
      const found = markerAt(at + ctz(mask), from, end);
      if (found >= 0) return <i32>found;
    }
  }
  // The last positions one by one.
  for (; at + 1 < end; at++) {
    const found = markerAt(at, from, end);
    if (found >= 0) return <i32>found;
  }
  return -1;
}

// readSuccess: whether a line is a successful access-log line in Istio's default text format, bare
// or behind `kubectl logs --prefix`, as src/core/logs/successfulAccessLine.ts describes; the bounds
// of what the caller reads of it (the start time, the duration, the client address, the pod) are
// left at RESULTS. Every byte is checked on the way to be printable ASCII or a tab, so
// that text and bytes agree and the text parsers' `.` and blanks mean what they mean here.

// What readSuccess found, as i32s at RESULTS (globals cost JavaScript an accessor call each to read):
export const RESULTS: u32 = FIELD_QUOTED + MAX_FIELDS;
/** The pod's name in a `--prefix` prefix, [start, end); -1 when there is none. */
const POD_START: u32 = 0;
const POD_END: u32 = 1;
/** The start time's first digit, and its `Z`. */
const TIME_AT: u32 = 2;
const ZONE_AT: u32 = 3;
const DURATION_START: u32 = 4;
const DURATION_END: u32 = 5;
/** The client address, [start, end); -1 when there is none (absent or `-`). */
const CLIENT_START: u32 = 6;
const CLIENT_END: u32 = 7;

function result(index: u32, value: i32): void {
  store<i32>(RESULTS + (index << 2), value);
}

const TAB: u32 = 9;
const SPACE: u32 = 32;
const QUOTE: u32 = 34;
const DASH: u32 = 45;
const SLASH: u32 = 47;
const COLON: u32 = 58;
const OPEN: u32 = 91;
const CLOSE: u32 = 93;
const CARRIAGE_RETURN: u32 = 13;

function isDigit(c: u32): bool {
  return c >= 48 && c <= 57;
}

function isPrintable(c: u32): bool {
  return (c >= SPACE && c <= 126) || c == TAB;
}

function isBlank(c: u32): bool {
  return c == SPACE || c == TAB;
}

function fieldStart(i: u32): u32 {
  return load<u32>(FIELD_STARTS + (i << 2));
}

function fieldEnd(i: u32): u32 {
  return load<u32>(FIELD_ENDS + (i << 2));
}

function fieldQuoted(i: u32): bool {
  return load<u8>(FIELD_QUOTED + i) != 0;
}

/** A field that reads as absent: empty or `-`. */
function isDash(i: u32): bool {
  const s = fieldStart(i);
  const e = fieldEnd(i);
  return e == s || (e == s + 1 && load<u8>(s) == DASH);
}

/** `via_upstream`, compared as a u64 and a u32 (little-endian). */
function isViaUpstream(i: u32): bool {
  const s = fieldStart(i);
  return fieldEnd(i) - s == 12 && load<u64>(s) == 0x747370755f616976 && load<u32>(s + 8) == 0x6d616572;
}

/** `BlackHoleCluster`, compared as two u64s (little-endian). */
function isBlackHole(i: u32): bool {
  const s = fieldStart(i);
  return fieldEnd(i) - s == 16 && load<u64>(s) == 0x6c6f486b63616c42 && load<u64>(s + 8) == 0x72657473756c4365;
}

/** `[pod/` at `at`. */
function isPodPrefix(at: u32): bool {
  return load<u32>(at) == 0x646f705b && load<u8>(at + 4) == SLASH;
}

let fieldCount: u32 = 0;

function addField(start: u32, end: u32, quoted: bool): void {
  store<u32>(FIELD_STARTS + (fieldCount << 2), start);
  store<u32>(FIELD_ENDS + (fieldCount << 2), end);
  store<u8>(FIELD_QUOTED + fieldCount, quoted ? 1 : 0);
  fieldCount++;
}

/** Fields after the first run of three numbers that are read: duration (+2), cluster (+9), client (+12). */
const LAST_FIELD: u32 = 12;

/**
 * Splits [start, end) as the text parser does (quoted strings, a quote never closed starting a
 * plain field, runs of non-blanks) as far as the last field read; returns where the first run of
 * three plain numbers starts (bytes received, bytes sent, duration), or -1 when there is none or a
 * byte is not one the reader takes.
 */
function split(start: u32, end: u32): i32 {
  fieldCount = 0;
  let numbers: i32 = -1;
  let run: u32 = 0;
  let p = start;
  while (p < end) {
    const c: u32 = load<u8>(p);
    if (isBlank(c)) {
      p++;
      continue;
    }
    if (fieldCount == MAX_FIELDS || c > 126 || c < SPACE) return -1;
    if (numbers >= 0 && fieldCount > <u32>numbers + LAST_FIELD) return tailIsPlain(p, end) ? numbers : -1;
    if (c == QUOTE) {
      let close = p + 1;
      while (close < end && load<u8>(close) != QUOTE && isPrintable(load<u8>(close))) close++;
      if (close < end && load<u8>(close) == QUOTE) {
        addField(p + 1, close, true);
        run = 0;
        p = close + 1;
        continue;
      }
      if (close < end) return -1;
    }
    let stop = p;
    let digits = true;
    while (stop < end) {
      const b: u32 = load<u8>(stop);
      if (b <= SPACE) break;
      if (b > 126) return -1;
      if (!isDigit(b)) digits = false;
      stop++;
    }
    if (stop < end && !isBlank(load<u8>(stop))) return -1;
    addField(p, stop, false);
    run = digits ? run + 1 : 0;
    if (run == 3 && numbers < 0) numbers = <i32>fieldCount - 3;
    p = stop;
  }
  return numbers;
}

/**
 * Past the fields read, only what would stop the text parser matters: a carriage return or a
 * Unicode line separator (U+2028/2029, whose UTF-8 starts with 0xE2) ends its `.*`.
 */
function tailIsPlain(start: u32, end: u32): bool {
  for (let i = start; i < end; i++) {
    const c: u32 = load<u8>(i);
    if (c == CARRIAGE_RETURN || c == 0xe2) return false;
  }
  return true;
}

/** 1 when [start, end) (one line, without its newline) is a successful access-log line, else 0. */
export function readSuccess(start: u32, end: u32): i32 {
  if (end > start && load<u8>(end - 1) == CARRIAGE_RETURN) end--;
  let at = start;
  let podStart: i32 = -1;
  let podEnd: i32 = -1;
  if (end - at > 5 && isPodPrefix(at)) {
    // `[pod/NAME/CONTAINER] `: a name without `/`, `]` or blanks, a container without `]` or blanks.
    let p = at + 5;
    const nameStart = p;
    while (p < end) {
      const c: u32 = load<u8>(p);
      if (c == SLASH || c == CLOSE || c <= SPACE || c > 126) break;
      p++;
    }
    if (p == nameStart || p >= end || load<u8>(p) != SLASH) return 0;
    const nameEnd = p;
    const containerStart = ++p;
    while (p < end) {
      const c: u32 = load<u8>(p);
      if (c == CLOSE || c <= SPACE || c > 126) break;
      p++;
    }
    if (p == containerStart || p + 1 >= end || load<u8>(p) != CLOSE || load<u8>(p + 1) != SPACE) return 0;
    podStart = <i32>nameStart;
    podEnd = <i32>nameEnd;
    at = p + 2;
  }
  // `[YYYY-MM-DDTHH:MM:SS[.fraction]Z] "`
  if (at >= end || load<u8>(at) != OPEN) return 0;
  const t = at + 1;
  if (t + 20 > end) return 0;
  for (let i: u32 = 0; i < 19; i++) {
    const c: u32 = load<u8>(t + i);
    if (i == 4 || i == 7) {
      if (c != DASH) return 0;
    } else if (i == 10) {
      if (c != 84 /* T */) return 0;
    } else if (i == 13 || i == 16) {
      if (c != COLON) return 0;
    } else if (!isDigit(c)) {
      return 0;
    }
  }
  let p = t + 19;
  if (load<u8>(p) == 46 /* . */) {
    const fractionStart = ++p;
    while (p < end && isDigit(load<u8>(p))) p++;
    if (p == fractionStart || p - fractionStart > 9) return 0;
  }
  if (p + 1 >= end || load<u8>(p) != 90 /* Z */ || load<u8>(p + 1) != CLOSE) return 0;
  const zoneAt = p;
  p += 2;
  if (p + 1 >= end || load<u8>(p) != SPACE || load<u8>(p + 1) != QUOTE) return 0;
  // The request line: anything printable up to the next quote.
  p += 2;
  while (p < end && load<u8>(p) != QUOTE && isPrintable(load<u8>(p))) p++;
  if (p + 1 >= end || load<u8>(p) != QUOTE || load<u8>(p + 1) != SPACE) return 0;
  p += 2;
  const codeStart = p;
  while (p < end && isDigit(load<u8>(p))) p++;
  if (p == codeStart || p - codeStart > 3 || p >= end || load<u8>(p) != SPACE) return 0;
  // Response flags: exactly `-`, then a blank or the end.
  p++;
  if (p >= end || load<u8>(p) != DASH) return 0;
  if (p + 1 < end && !isBlank(load<u8>(p + 1))) return 0;
  const found = split(p + 1, end);
  if (found < 0) return 0;
  const numbers = <u32>found;
  // Response details: none, `-` or `via_upstream` (any other may carry a cause).
  if (numbers > 0 && !fieldQuoted(0) && !isDash(0) && !isViaUpstream(0)) return 0;
  const cluster = numbers + 9;
  if (cluster < fieldCount && !fieldQuoted(cluster) && isBlackHole(cluster)) return 0;
  result(POD_START, podStart);
  result(POD_END, podEnd);
  result(TIME_AT, <i32>t);
  result(ZONE_AT, <i32>zoneAt);
  result(DURATION_START, <i32>fieldStart(numbers + 2));
  result(DURATION_END, <i32>fieldEnd(numbers + 2));
  const client = numbers + LAST_FIELD;
  const hasClient = client < fieldCount && !isDash(client);
  result(CLIENT_START, hasClient ? <i32>fieldStart(client) : -1);
  result(CLIENT_END, hasClient ? <i32>fieldEnd(client) : -1);
  return 1;
}
