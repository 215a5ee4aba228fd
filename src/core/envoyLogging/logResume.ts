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

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) /;

export function splitTimestamp(line: string): TimestampedLine {
  const m = TIMESTAMP.exec(line);
  if (!m) return { timestamp: '', text: line };
  return { timestamp: line.slice(0, m[0].length - 1), text: line.slice(m[0].length) };
}

/** Nanoseconds since the epoch as a bigint (fractions of any length), or null if unparsable. */
export function timestampNanos(ts: string): bigint | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** The cap on remembered texts per timestamp, so a burst within one timestamp cannot grow memory. */
const MAX_REMEMBERED = 50_000;

export class LogResumeCursor {
  private lastTs = '';
  private lastNanos: bigint | null = null;
  private textsAtLast: string[] = [];
  /** Texts at `lastTs` still expected from the resumed stream (skipped when they arrive). */
  private pending: string[] = [];
  private pendingIndex = 0;
  private resuming = false;

  /** The `sinceTime` to resume from (whole seconds, which every API server accepts), or undefined before the first line. */
  sinceTime(): string | undefined {
    if (this.lastNanos === null) return undefined;
    const seconds = this.lastNanos / 1_000_000_000n;
    return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Call before consuming a resumed stream. */
  beginResume(): void {
    this.resuming = this.lastNanos !== null;
    this.pending = this.textsAtLast.slice();
    this.pendingIndex = 0;
  }

  /** Returns the line to deliver, or null when it was already delivered before the resume. */
  accept(raw: string): TimestampedLine | null {
    const line = splitTimestamp(raw);
    const nanos = line.timestamp ? timestampNanos(line.timestamp) : null;
    if (nanos === null) return line; // no timestamp to reason with: deliver rather than lose it
    if (this.resuming && this.lastNanos !== null) {
      if (nanos < this.lastNanos) return null;
      if (nanos === this.lastNanos) {
        if (this.pendingIndex < this.pending.length && this.pending[this.pendingIndex] === line.text) {
          this.pendingIndex++;
          return null;
        }
      }
      this.resuming = false;
    }
    this.remember(nanos, line);
    return line;
  }

  private remember(nanos: bigint, line: TimestampedLine): void {
    if (this.lastNanos === nanos) {
      if (this.textsAtLast.length < MAX_REMEMBERED) this.textsAtLast.push(line.text);
    } else {
      this.lastNanos = nanos;
      this.lastTs = line.timestamp;
      this.textsAtLast = [line.text];
    }
  }

  get lastTimestamp(): string {
    return this.lastTs;
  }
}
