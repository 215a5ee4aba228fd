/**
 * Reads, from a log's bytes, the access-log lines that record a success: most of the relevant lines
 * of a busy sidecar's log (nine in ten, on the bench), and all the correlator keeps of one is when
 * it ended, the client address it served and its pod. Reading those fields in place, without
 * decoding the line, parsing it whole and building its event, is what lets correlation keep pace
 * with the byte search in front of it.
 *
 * The module's readSuccess (wasm/logScan.ts) checks the shape and finds the fields; this reads
 * their values. Only the common shape is read: Istio's default text format, bare or behind
 * `kubectl logs --prefix`, in printable ASCII, with no response flags, `via_upstream` or no
 * response details, an upstream cluster other than `BlackHoleCluster` and an IPv4 client address
 * (or none). Everything else (another collector's framing, JSON, IPv6, a flag, a detail) is left
 * to the full parsers, which give such a line the same meaning: see
 * test/unit/core/logs/successfulAccessLine.test.ts, which holds the two to agreement on real lines.
 */

import { ipv4KeyOfBytes } from './addressKey';
import { LogScanModule, SUCCESS_RESULTS as R } from './logScan';
import { parseDateTimeMs } from './time';

/** Pod names kept decoded, so a line of a pod seen before decodes nothing. */
const POD_CACHE = 8;
/** A duration longer than this many digits would not add up exactly: left to the full parser's Number(). */
const MAX_DURATION_DIGITS = 15;

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

  private readonly podBytes: Uint8Array[] = [];
  private readonly podNames: string[] = [];
  /** The `YYYY-MM-DDTHH:MM` of the last start time read in full, and its time. */
  private readonly minute = new Uint8Array(16);
  private minuteMs = Number.NaN;

  /** `module`: the one whose marker search found the line, so the line is read where it already is. */
  constructor(private readonly module = new LogScanModule()) {}

  /**
   * Whether `data[start, end)` (one line, without its newline) is such a line; when it is, the
   * fields above describe it.
   */
  read(data: Uint8Array, start: number, end: number): boolean {
    const module = this.module;
    const at = module.place(data, start, end);
    if (module.exports.readSuccess(at, at + (end - start)) === 0) return false;
    const bytes = module.bytes;
    const found = module.results;
    const startMs = this.startTime(bytes, found[R.timeAt]!, found[R.zoneAt]!);
    if (startMs === null) return false;
    const durationStart = found[R.durationStart]!;
    const durationEnd = found[R.durationEnd]!;
    if (durationEnd - durationStart > MAX_DURATION_DIGITS) return false;
    let duration = 0;
    for (let k = durationStart; k < durationEnd; k++) duration = duration * 10 + (bytes[k]! - 48);
    let address: number | null = null;
    const clientStart = found[R.clientStart]!;
    if (clientStart >= 0) {
      address = ipv4KeyOfBytes(bytes, clientStart, found[R.clientEnd]!);
      // Any other address than IPv4 is matched as text, by the full parsers.
      if (address === null) return false;
    }
    this.endMs = startMs + duration;
    this.address = address;
    const podStart = found[R.podStart]!;
    this.pod = podStart < 0 ? null : this.podName(bytes, podStart, found[R.podEnd]!);
    return true;
  }

  /** The time of `YYYY-MM-DDTHH:MM:SS[.fraction]` at `at` (its form checked by the module), its `Z` at `zoneAt`. */
  private startTime(data: Uint8Array, at: number, zoneAt: number): number | null {
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
    for (let i = at + 20; i < zoneAt; i++) {
      ms += (data[i]! - 48) * scale;
      scale /= 10;
    }
    return ms;
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
