/**
 * Resuming a followed container log without repeating or losing lines. Lines come with the
 * kubelet's RFC 3339 timestamp (`timestamps=true`); after a dropped stream or a container restart
 * the follow restarts with `sinceTime` at the last seen second, and the lines already delivered at
 * or before the last timestamp are skipped. Many lines can share one timestamp, so the cursor
 * remembers the texts seen at the last one and skips exactly those, in order.
 */

export interface TimestampedLine {
  /** As the server wrote it, e.g. `2025-01-30T12:10:13.682034460Z`; empty when the line had none. */
  readonly timestamp: string;
  readonly text: string;
}

/** Splits off the kubelet's timestamp; a cheap shape check, the value is validated by `timestampKey`. */
export function splitTimestamp(line: string): TimestampedLine {
  const sp = line.indexOf(' ');
  if (sp < 20 || sp > 40 || line.charCodeAt(4) !== 45 /* - */ || line.charCodeAt(10) !== 84 /* T */) return { timestamp: '', text: line };
  return { timestamp: line.slice(0, sp), text: line.slice(sp + 1) };
}

/** Nanoseconds since the epoch as a bigint (fractions of any length), or null if unparsable. */
export function timestampNanos(ts: string): bigint | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * A key that sorts like the instant: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn` in UTC. The kubelet writes
 * UTC with the fraction's trailing zeros trimmed, so the common case is a pad, not a parse; this
 * runs for every line at 20,000 lines a second, where BigInt and Date garbage showed up as GC pauses.
 */
export function timestampKey(ts: string): string | null {
  if (ts.length >= 20 && ts.charCodeAt(ts.length - 1) === 90 /* Z */ && ts.charCodeAt(10) === 84 /* T */) {
    const frac = ts.length > 21 && ts.charCodeAt(19) === 46 /* . */ ? ts.slice(20, -1) : '';
    if (ts.length === 20 || frac.length > 0) return `${ts.slice(0, 19)}.${frac.padEnd(9, '0')}`;
  }
  const nanos = timestampNanos(ts);
  if (nanos === null) return null;
  const seconds = nanos / 1_000_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${iso}.${String(nanos % 1_000_000_000n).padStart(9, '0')}`;
}

/** The cap on remembered texts per timestamp, so a burst within one timestamp cannot grow memory. */
const MAX_REMEMBERED = 50_000;

export class LogResumeCursor {
  private lastTs = '';
  private lastKey: string | null = null;
  private textsAtLast: string[] = [];
  /** Texts at `lastTs` still expected from the resumed stream (skipped when they arrive). */
  private pending: string[] = [];
  private pendingIndex = 0;
  private resuming = false;

  /** The `sinceTime` to resume from (whole seconds, which every API server accepts), or undefined before the first line. */
  sinceTime(): string | undefined {
    return this.lastKey === null ? undefined : `${this.lastKey.slice(0, 19)}Z`;
  }

  /** Call before consuming a resumed stream. */
  beginResume(): void {
    this.resuming = this.lastKey !== null;
    this.pending = this.textsAtLast.slice();
    this.pendingIndex = 0;
  }

  /** Returns the line to deliver, or null when it was already delivered before the resume. */
  accept(raw: string): TimestampedLine | null {
    const line = splitTimestamp(raw);
    const key = line.timestamp ? timestampKey(line.timestamp) : null;
    // No timestamp to reason with: deliver the whole line rather than lose it.
    if (key === null) return line.timestamp ? { timestamp: '', text: raw } : line;
    if (this.resuming && this.lastKey !== null) {
      if (key < this.lastKey) return null;
      if (key === this.lastKey) {
        if (this.pendingIndex < this.pending.length && this.pending[this.pendingIndex] === line.text) {
          this.pendingIndex++;
          return null;
        }
      }
      this.resuming = false;
    }
    this.remember(key, line);
    return line;
  }

  private remember(key: string, line: TimestampedLine): void {
    if (this.lastKey === key) {
      if (this.textsAtLast.length < MAX_REMEMBERED) this.textsAtLast.push(line.text);
    } else {
      this.lastKey = key;
      this.lastTs = line.timestamp;
      this.textsAtLast = [line.text];
    }
  }

  get lastTimestamp(): string {
    return this.lastTs;
  }
}
