/**
 * Removes what log collectors add in front of each line the container wrote:
 *  - `kubectl logs --prefix` (`[pod/NAME/CONTAINER] `) and `--timestamps` (RFC3339Nano and a space), in either order;
 *  - stern's `POD CONTAINER ` prefix (optionally followed by its `--timestamps` time);
 *  - container-runtime (CRI) log files: `TIME stdout|stderr F|P text`, where `P` marks a partial line
 *    that the next line continues;
 *  - Docker's json-file lines: `{"log":"text\n","stream":"stdout","time":"..."}`;
 *  - kail's `NAMESPACE/POD[CONTAINER]: ` prefix;
 *  - the box a terminal UI (k9s) draws around each line when its log view is copied: `│ text   │`;
 *  - terminal colours (ANSI SGR: stern's colours, a console logger's levels). Other control
 *    sequences stay, so that a log that tries to clear a screen or retitle a terminal is shown,
 *    escaped, for what it is.
 */

import { parseJsonObject } from './jsonObject';
import { parseDateTimeMs } from './time';

export interface FramedLine {
  readonly pod: string | null;
  readonly container: string | null;
  /** The time the collector recorded for the line (kubectl `--timestamps`, CRI, Docker, stern). */
  readonly streamTimeMs: number | null;
  /** The line as the container wrote it. */
  readonly body: string;
  /** A CRI partial line (`P`): the next line of the same stream continues it. */
  readonly partial: boolean;
}

const POD_PREFIX = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] /;
const STREAM_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;
const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (?:stdout|stderr) ([FP]) /;
/** ANSI colour (SGR) sequences, `ESC [ params m`: what coloured loggers and stern write. */
const ANSI_COLOUR = /\u001b\[[0-9;:]*m/g;
const KAIL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\/([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)\[([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\]: /;
/** k9s draws `│` (U+2502) at the left and right of its log pane, padding the line with spaces. */
const BOX_LEFT = /^\u2502 ?/;
const BOX_RIGHT = /\s*\u2502[\s\u2502]*$/;
const STERN = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*) ([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?) /;
// What may follow a kubectl timestamp whose fraction is short: a second timestamp, a bracket or JSON.
const LOOKS_LIKE_LINE_START = /^(?:\d{4}[-/]\d\d[-/]\d\d|\[|\{)/;
/**
 * A level after spaces or a tab is the line's own layout: Spring Boot 3 pads the level to five
 * characters (`2024-01-01T12:00:00.123Z  WARN 1 ---`), Istio separates it with a tab (or spaces,
 * once tabs were flattened).
 */
const PADDED_LEVEL = /^\s+(?:trace|debug|info|warn|warning|error|fatal|critical)\b/i;

function stripStreamTime(text: string, knownStreamTimes: boolean): { timeMs: number | null; rest: string } {
  const c = text.charCodeAt(0);
  if (c < 48 || c > 57) return { timeMs: null, rest: text };
  const m = STREAM_TIME.exec(text);
  if (!m) return { timeMs: null, rest: text };
  const rest = text.slice(m[0].length);
  // kubectl writes nanoseconds; an application's own ISO time usually has 3 or 6 digits, so a
  // short fraction counts as kubectl's only when a log line follows it.
  if ((m[7]?.length ?? 0) < 7 && (PADDED_LEVEL.test(rest) || (!knownStreamTimes && !LOOKS_LIKE_LINE_START.test(rest)))) return { timeMs: null, rest: text };
  return { timeMs: parseDateTimeMs(m[0]), rest };
}

function dockerLine(text: string): FramedLine | null {
  if (!text.startsWith('{"log":')) return null;
  const o = parseJsonObject(text);
  if (!o || typeof o.log !== 'string') return null;
  const body = o.log.replace(/\r?\n$/, '');
  return { pod: null, container: null, streamTimeMs: typeof o.time === 'string' ? parseDateTimeMs(o.time) : null, body, partial: false };
}

/** stern's pod name has a dash and a digit (a ReplicaSet hash or an ordinal); a date does not count. */
function sternPrefix(text: string): { pod: string; container: string; rest: string } | null {
  const c = text.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return null;
  const m = STERN.exec(text);
  if (!m || !m[1]!.includes('-') || !/\d/.test(m[1]!) || /^\d{4}-\d\d/.test(m[1]!)) return null;
  return { pod: m[1]!, container: m[2]!, rest: text.slice(m[0].length) };
}

/**
 * `knownStreamTimes`: the input is known to carry kubectl timestamps (an earlier line had an
 * unambiguous one), so a leading time with a short fraction is kubectl's too.
 */
export function unframeLine(line: string, knownStreamTimes = false): FramedLine {
  let text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.includes('\u001b')) text = text.replace(ANSI_COLOUR, '');
  if (text.charCodeAt(0) === 0x2502) text = text.replace(BOX_LEFT, '').replace(BOX_RIGHT, '');
  const first = text.charCodeAt(0);
  if (first === 123 /* { */) return dockerLine(text) ?? { pod: null, container: null, streamTimeMs: null, body: text, partial: false };
  if (first >= 48 && first <= 57) {
    const cri = CRI.exec(text);
    if (cri) return { pod: null, container: null, streamTimeMs: parseDateTimeMs(cri[1]!), body: text.slice(cri[0].length), partial: cri[2] === 'P' };
  }
  let pod: string | null = null;
  let container: string | null = null;
  let stream = stripStreamTime(text, knownStreamTimes);
  text = stream.rest;
  if (text.charCodeAt(0) === 91 /* [ */ && text.startsWith('[pod/')) {
    const m = POD_PREFIX.exec(text);
    if (m) {
      pod = m[1]!;
      container = m[2]!;
      text = text.slice(m[0].length);
    }
  } else if (stream.timeMs === null && KAIL.test(text)) {
    const m = KAIL.exec(text)!;
    pod = m[1]!;
    container = m[2]!;
    text = text.slice(m[0].length);
  } else if (stream.timeMs === null) {
    const stern = sternPrefix(text);
    if (stern) {
      pod = stern.pod;
      container = stern.container;
      text = stern.rest;
    }
  }
  if (pod !== null && stream.timeMs === null) {
    stream = stripStreamTime(text, knownStreamTimes);
    text = stream.rest;
  }
  return { pod, container, streamTimeMs: stream.timeMs, body: text, partial: false };
}
