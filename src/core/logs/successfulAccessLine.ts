/**
 * Reads, from a log's bytes, the access-log lines that record a success: most of the relevant lines
 * of a busy sidecar's log (nine in ten, on the bench), and all the correlator keeps of one is when
 * it ended, the client address it served and its pod. Reading those fields in place, without
 * decoding the line, parsing it whole and building its event, is what lets correlation keep pace
 * with the byte search in front of it.
 *
 * Only the common shape is read here: Istio's default text format, bare or behind
 * `kubectl logs --prefix`, in printable ASCII, with no response flags, `via_upstream` or no
 * response details, an upstream cluster other than `BlackHoleCluster` and an IPv4 client address
 * (or none). Everything else (another collector's framing, JSON, IPv6, a flag, a detail) is left
 * to the full parsers, which give such a line the same meaning: see
 * test/unit/core/logs/successfulAccessLine.test.ts, which holds the two to agreement on real lines.
 */

import { ipv4KeyOfBytes } from './addressKey';
import { parseDateTimeMs } from './time';

const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const SLASH = 47;
const COLON = 58;
const OPEN = 91;
const CLOSE = 93;
const CARRIAGE_RETURN = 13;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isPrintable(c: number): boolean {
  return (c >= SPACE && c <= 126) || c === TAB;
}

const PREFIX = Buffer.from('[pod/', 'latin1');
const VIA_UPSTREAM = Buffer.from('via_upstream', 'latin1');
const BLACK_HOLE = Buffer.from('BlackHoleCluster', 'latin1');
/** Fields after the first run of three numbers that the reader looks at: duration (+2), cluster (+9), client (+12). */
const LAST_FIELD = 12;
/** Pod names kept decoded, so a line of a pod seen before decodes nothing. */
const POD_CACHE = 8;

function equalBytes(data: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (data[start + i] !== word[i]) return false;
  return true;
}

export class SuccessfulAccessReader {
  /** Of the line last read: when its request ended. */
  endMs = 0;
  /** Its client address (`downstream_remote_address`) as {@link ipv4KeyOfBytes} gives it, or null when it has none. */
  address: number | null = null;
  /** Its pod from a `kubectl logs --prefix` prefix, or null. */
  pod: string | null = null;

  private readonly starts = new Int32Array(64);
  private readonly ends = new Int32Array(64);
  private readonly quoted = new Uint8Array(64);
  private count = 0;
  private readonly podBytes: Uint8Array[] = [];
  private readonly podNames: string[] = [];
  /** The `YYYY-MM-DDTHH:MM` of the last start time read in full, and its time. */
  private readonly minute = new Uint8Array(16);
  private minuteMs = Number.NaN;

  /**
   * Whether `data[start, end)` (one line, without its newline) is such a line; when it is, the
   * fields above describe it.
   */
  read(data: Uint8Array, start: number, end: number): boolean {
    if (end > start && data[end - 1] === CARRIAGE_RETURN) end--;
    // Every byte is checked to be printable ASCII or a tab on the way (by the loop that reads it):
    // then text and bytes agree, no collector's framing or colour hides in the line, and the text
    // parser's `.` and blanks mean what they mean here.
    let at = start;
    let podStart = -1;
    let podEnd = -1;
    if (end - at > PREFIX.length && equalBytes(data, at, at + PREFIX.length, PREFIX)) {
      // `[pod/NAME/CONTAINER] `: a name without `/`, `]` or blanks, a container without `]` or blanks.
      podStart = at + PREFIX.length;
      let p = podStart;
      while (p < end && data[p] !== SLASH && data[p] !== CLOSE && data[p]! > SPACE && data[p]! <= 126) p++;
      if (p === podStart || data[p] !== SLASH) return false;
      podEnd = p;
      const containerStart = ++p;
      while (p < end && data[p] !== CLOSE && data[p]! > SPACE && data[p]! <= 126) p++;
      if (p === containerStart || data[p] !== CLOSE || data[p + 1] !== SPACE) return false;
      at = p + 2;
    }
    if (data[at] !== OPEN) return false;
    const startMs = this.startTime(data, at + 1, end);
    if (startMs === null) return false;
    // The start time is 24 to 30 bytes: `YYYY-MM-DDTHH:MM:SS` and an optional fraction, then `Z] "`.
    at = this.timeEnd + 1;
    if (data[at] !== SPACE || data[at + 1] !== QUOTE) return false;
    // The request line: anything up to the next quote.
    let p = at + 2;
    while (p < end && data[p] !== QUOTE && isPrintable(data[p]!)) p++;
    if (p >= end || data[p] !== QUOTE || data[p + 1] !== SPACE) return false;
    p += 2;
    const codeStart = p;
    while (p < end && isDigit(data[p]!)) p++;
    if (p === codeStart || p - codeStart > 3 || data[p] !== SPACE) return false;
    // Response flags: exactly `-`, then a blank or the end.
    p++;
    if (data[p] !== DASH || (p + 1 < end && data[p + 1] !== SPACE && data[p + 1] !== TAB)) return false;
    const numbers = this.split(data, p + 1, end);
    if (numbers < 0) return false;
    if (numbers > 0 && this.quoted[0] === 0 && !this.isDash(data, 0) && !equalBytes(data, this.starts[0]!, this.ends[0]!, VIA_UPSTREAM)) return false;
    const cluster = numbers + 9;
    if (cluster < this.count && this.quoted[cluster] === 0 && equalBytes(data, this.starts[cluster]!, this.ends[cluster]!, BLACK_HOLE)) return false;
    // A duration too long to add up exactly is left to the full parser's Number().
    if (this.ends[numbers + 2]! - this.starts[numbers + 2]! > 15) return false;
    let duration = 0;
    for (let k = this.starts[numbers + 2]!; k < this.ends[numbers + 2]!; k++) duration = duration * 10 + (data[k]! - 48);
    const client = numbers + LAST_FIELD;
    let address: number | null = null;
    if (client < this.count && !this.isDash(data, client)) {
      address = ipv4KeyOfBytes(data, this.starts[client]!, this.ends[client]!);
      // Any other address than IPv4 is matched as text, by the full parsers.
      if (address === null) return false;
    }
    this.endMs = startMs + duration;
    this.address = address;
    this.pod = podStart < 0 ? null : this.podName(data, podStart, podEnd);
    return true;
  }

  /** Where the start time read last ends (its `]`). */
  private timeEnd = 0;

  /** `YYYY-MM-DDTHH:MM:SS[.fraction]Z` at `at`, followed by `]`; null when the bytes are anything else. */
  private startTime(data: Uint8Array, at: number, end: number): number | null {
    if (at + 20 > end) return null;
    for (let i = 0; i < 19; i++) {
      const c = data[at + i]!;
      const expected = i === 4 || i === 7 ? DASH : i === 10 ? 84 /* T */ : i === 13 || i === 16 ? COLON : -1;
      if (expected === -1 ? !isDigit(c) : c !== expected) return null;
    }
    let p = at + 19;
    if (data[p] === 46 /* . */) {
      const fractionStart = ++p;
      while (p < end && isDigit(data[p]!)) p++;
      if (p === fractionStart || p - fractionStart > 9) return null;
    }
    if (data[p] !== 90 /* Z */ || data[p + 1] !== CLOSE) return null;
    this.timeEnd = p + 1;
    if (!equalBytes(data, at, at + 16, this.minute)) {
      // A new minute: the shared parser reads it (and rejects a date that does not exist).
      const text = Buffer.from(data.buffer, data.byteOffset + at, 16).toString('latin1');
      this.minuteMs = parseDateTimeMs(`${text}:00Z`) ?? Number.NaN;
      this.minute.set(data.subarray(at, at + 16));
    }
    if (Number.isNaN(this.minuteMs)) return null;
    const seconds = (data[at + 17]! - 48) * 10 + (data[at + 18]! - 48);
    if (seconds > 60) return null;
    // The same arithmetic as parseDateTimeMs within a minute, so both give the same time.
    let ms = this.minuteMs + seconds * 1000;
    let scale = 100;
    for (let i = at + 20; i < p; i++) {
      ms += (data[i]! - 48) * scale;
      scale /= 10;
    }
    return ms;
  }

  /**
   * Splits `[start, end)` as the text parser does (quoted strings, a quote never closed starting a
   * plain field, and runs of non-blanks) as far as the last field read; returns where the first run
   * of three plain numbers starts (bytes received, bytes sent, duration), or -1 when there is none
   * or a byte is not what the reader takes.
   */
  private split(data: Uint8Array, start: number, end: number): number {
    this.count = 0;
    let numbers = -1;
    /** Plain numbers in a row just before `p`. */
    let run = 0;
    let p = start;
    while (p < end) {
      const c = data[p]!;
      if (c === SPACE || c === TAB) {
        p++;
        continue;
      }
      if (this.count === this.starts.length || c > 126 || c < SPACE) return -1;
      if (numbers >= 0 && this.count > numbers + LAST_FIELD) return this.tailIsPlain(data, p, end) ? numbers : -1;
      if (c === QUOTE) {
        let close = p + 1;
        while (close < end && data[close] !== QUOTE && isPrintable(data[close]!)) close++;
        if (close < end && data[close] === QUOTE) {
          this.add(p + 1, close, 1);
          run = 0;
          p = close + 1;
          continue;
        }
        if (close < end) return -1;
      }
      let stop = p;
      let digits = true;
      for (let b = c; stop < end && b > SPACE; b = data[++stop]!) {
        if (b > 126) return -1;
        if (b < 48 || b > 57) digits = false;
      }
      if (stop < end && data[stop] !== SPACE && data[stop] !== TAB) return -1;
      this.add(p, stop, 0);
      run = digits ? run + 1 : 0;
      if (run === 3 && numbers < 0) numbers = this.count - 3;
      p = stop;
    }
    return numbers;
  }

  /**
   * Past the fields read, only what would stop the text parser matters: a carriage return or a
   * Unicode line separator (U+2028/2029, whose UTF-8 starts with 0xE2) ends its `.*`.
   */
  private tailIsPlain(data: Uint8Array, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
      const c = data[i]!;
      if (c === CARRIAGE_RETURN || c === 0xe2) return false;
    }
    return true;
  }

  private add(start: number, end: number, quoted: number): void {
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.quoted[this.count] = quoted;
    this.count++;
  }

  /** A field that reads as absent: empty or `-`. */
  private isDash(data: Uint8Array, i: number): boolean {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    return end === start || (end === start + 1 && data[start] === DASH);
  }

  private podName(data: Uint8Array, start: number, end: number): string {
    for (let i = 0; i < this.podBytes.length; i++) if (equalBytes(data, start, end, this.podBytes[i]!)) return this.podNames[i]!;
    const name = Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');
    if (this.podBytes.length === POD_CACHE) {
      this.podBytes.shift();
      this.podNames.shift();
    }
    this.podBytes.push(Uint8Array.from(data.subarray(start, end)));
    this.podNames.push(name);
    return name;
  }
}
