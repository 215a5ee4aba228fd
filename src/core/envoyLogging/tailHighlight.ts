/**
 * Which tail lines matter for a connection failure, and where in the line. Used by the tail editor
 * for decorations; pure, so the same ranges are unit-tested and asserted in integration tests.
 */

export type TailHighlightKind = 'connectTimeout' | 'responseFlags' | 'connectionReset';

export interface TailHighlight {
  readonly kind: TailHighlightKind;
  /** UTF-16 offsets into the text given to `classifyTailText`. */
  readonly start: number;
  readonly end: number;
}

/** Envoy response flags that mean "could not get or keep an upstream connection" or "client gave up". */
export const FAILURE_RESPONSE_FLAGS: ReadonlySet<string> = new Set(['UF', 'URX', 'UC', 'UH', 'UT', 'DC', 'NR']);

const CONNECT_TIMEOUT = /connect timeout/gi;
const CONNECTION_RESET = /connection reset/gi;
/**
 * Istio's access-log line: a quoted request (`"GET / HTTP/1.1"`, or `"- - -"` for TCP), then the
 * response code, then `%RESPONSE_FLAGS%` (a comma list, `-` when none).
 */
const ACCESS_LOG_FLAGS = /"\s+(?:\d{1,3}|-)\s+([A-Z]{1,5}(?:,[A-Z]{1,5})*)(?=\s|$)/g;

/**
 * Highlights in one line. `fromEnvoy` says the line came from the istio-proxy container: connect
 * timeouts and response flags are Envoy's; a `Connection reset` is what the app saw.
 */
export function classifyTailText(text: string, fromEnvoy: boolean): TailHighlight[] {
  const out: TailHighlight[] = [];
  if (fromEnvoy) {
    for (const m of text.matchAll(CONNECT_TIMEOUT)) out.push({ kind: 'connectTimeout', start: m.index!, end: m.index! + m[0].length });
    for (const m of text.matchAll(ACCESS_LOG_FLAGS)) {
      const flags = m[1].split(',');
      if (flags.some((f) => FAILURE_RESPONSE_FLAGS.has(f))) {
        const start = m.index! + m[0].length - m[1].length;
        out.push({ kind: 'responseFlags', start, end: start + m[1].length });
      }
    }
  } else {
    for (const m of text.matchAll(CONNECTION_RESET)) out.push({ kind: 'connectionReset', start: m.index!, end: m.index! + m[0].length });
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Highlights in a line of a log file, where nobody says which container wrote it: Envoy's marks
 * (connect timeouts, failure flags) and the application's (`Connection reset`) alike.
 */
export function classifyLogFileText(text: string): TailHighlight[] {
  return [...classifyTailText(text, true), ...classifyTailText(text, false)].sort((a, b) => a.start - b.start);
}
