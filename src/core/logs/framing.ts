/**
 * Removes what `kubectl logs` adds in front of each line: `--prefix` (`[pod/NAME/CONTAINER] `) and
 * `--timestamps` (an RFC3339Nano time and a space), in either order.
 */

import { parseDateTimeMs } from './time';

export interface FramedLine {
  readonly pod: string | null;
  readonly container: string | null;
  /** The time kubectl recorded for the line, when `--timestamps` was used. */
  readonly streamTimeMs: number | null;
  /** The line as the container wrote it. */
  readonly body: string;
}

const POD_PREFIX = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] /;
const STREAM_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;
// What may follow a kubectl timestamp whose fraction is short: a second timestamp, a bracket, JSON or indentation.
const LOOKS_LIKE_LINE_START = /^(?:\d{4}-\d\d-\d\d|\[|\{|\s)/;

function stripStreamTime(text: string, knownStreamTimes: boolean): { timeMs: number | null; rest: string } {
  const c = text.charCodeAt(0);
  if (c < 48 || c > 57) return { timeMs: null, rest: text };
  const m = STREAM_TIME.exec(text);
  if (!m) return { timeMs: null, rest: text };
  const rest = text.slice(m[0].length);
  // kubectl writes nanoseconds (trailing zeros trimmed); an application's own ISO time usually has
  // 3 or 6 digits, so a short fraction counts as kubectl's only when a log line follows it.
  if (!knownStreamTimes && (m[7]?.length ?? 0) < 7 && !LOOKS_LIKE_LINE_START.test(rest)) return { timeMs: null, rest: text };
  return { timeMs: parseDateTimeMs(m[0]), rest };
}

/**
 * `knownStreamTimes`: the input is known to carry kubectl timestamps (an earlier line had an
 * unambiguous one), so a leading time with a short fraction is kubectl's too.
 */
export function unframeLine(line: string, knownStreamTimes = false): FramedLine {
  let pod: string | null = null;
  let container: string | null = null;
  let text = line.endsWith('\r') ? line.slice(0, -1) : line;
  let stream = stripStreamTime(text, knownStreamTimes);
  text = stream.rest;
  if (text.charCodeAt(0) === 91 /* [ */ && text.startsWith('[pod/')) {
    const m = POD_PREFIX.exec(text);
    if (m) {
      pod = m[1]!;
      container = m[2]!;
      text = text.slice(m[0].length);
      if (stream.timeMs === null) {
        stream = stripStreamTime(text, knownStreamTimes);
        text = stream.rest;
      }
    }
  }
  return { pod, container, streamTimeMs: stream.timeMs, body: text };
}
