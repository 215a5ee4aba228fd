/**
 * When each Envoy event of a reset happened, for the panel's event list. A debug line happened at
 * its own timestamp; an access-log entry spans the request, from its start (the time it carries)
 * to its end (start + duration, when Envoy wrote it), so it is listed at both moments and the list
 * reads in the order things happened. Pure (no DOM, no `vscode`): the host computes the timing of
 * each line once, the webview orders the rows, unit tests check both.
 */

import { parseEnvoyEvent } from '../core/logs/envoyEvent';
import { unframeLine } from '../core/logs/framing';
import { toIsoUtc } from '../core/logs/time';

export interface MatchTiming {
  /** The line as the container wrote it: what a collector put in front (kubectl's time, a pod prefix) removed. */
  readonly body: string;
  /** The time the collector recorded for the line (kubectl `--timestamps`, CRI), ISO 8601; null when none. */
  readonly collectedAt: string | null;
  /** An access-log entry's end (its start + duration), ISO 8601; null for other lines or without a duration. */
  readonly endTime: string | null;
  readonly durationMs: number | null;
}

/** Reads the timing of one matched line as the correlator kept it (framing included). */
export function matchTiming(raw: string): MatchTiming {
  const framed = unframeLine(raw, true);
  const event = parseEnvoyEvent(framed.body);
  const span = event !== null && event !== 'ignored' && event.kind === 'access-log' && event.durationMs !== null;
  return {
    body: framed.body,
    collectedAt: framed.streamTimeMs === null ? null : toIsoUtc(framed.streamTimeMs),
    endTime: span ? toIsoUtc(event.endMs) : null,
    durationMs: span ? event.durationMs : null,
  };
}

export interface TimedMatch {
  /** When it happened (an access-log entry: its start), ISO 8601. */
  readonly time: string;
  readonly endTime?: string | null;
  readonly file: string;
  readonly line: number;
}

/** One row of the event list: a line at the moment it happened, or an access-log entry at its start or end. */
export interface EventRow {
  /** Index of the match in the list given to `chronologicalRows`. */
  readonly match: number;
  readonly at: 'point' | 'start' | 'end';
  /** Milliseconds since the epoch (NaN when the time is unreadable: such rows come last). */
  readonly timeMs: number;
}

/** At one millisecond a request starts before what it causes, and its entry ends after. */
const SAME_MOMENT_ORDER: Readonly<Record<EventRow['at'], number>> = { start: 0, point: 1, end: 2 };

/**
 * The rows of `matches` in the order things happened: a match with an end time gives a `start`
 * and an `end` row (unless both are the same moment: then one `point`), any other one `point`.
 */
export function chronologicalRows(matches: readonly TimedMatch[]): EventRow[] {
  const rows: EventRow[] = [];
  matches.forEach((m, match) => {
    const start = Date.parse(m.time);
    const end = m.endTime ? Date.parse(m.endTime) : NaN;
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) {
      rows.push({ match, at: 'start', timeMs: start }, { match, at: 'end', timeMs: end });
    } else {
      rows.push({ match, at: 'point', timeMs: start });
    }
  });
  const key = (t: number) => (Number.isFinite(t) ? t : Number.POSITIVE_INFINITY);
  return rows.sort((a, b) => {
    const byTime = key(a.timeMs) - key(b.timeMs);
    if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
    const ma = matches[a.match]!;
    const mb = matches[b.match]!;
    return SAME_MOMENT_ORDER[a.at] - SAME_MOMENT_ORDER[b.at] || ma.file.localeCompare(mb.file) || ma.line - mb.line || a.match - b.match;
  });
}
