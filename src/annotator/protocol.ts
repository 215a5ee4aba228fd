/**
 * The one message protocol between the annotator panel (extension host) and its webview script.
 * Both sides import this file, so a message shape changes in one place. The webview is the less
 * trusted side (it renders log text), so everything it sends is validated here before use.
 */
import type { ResetGroup } from '../core/correlate/groups';
import type { EnvoyEventMatch, ResetReport, TimelineEvent } from '../core/correlate/types';
import type { PodRef } from '../kube/types';
import { matchTiming, type MatchTiming } from './eventTiming';

export const ANNOTATOR_VIEW_TYPE = 'meshDoctor.annotator';

/** Characters of one log line sent to the webview; it shows at most DISPLAY_LIMIT of them anyway. */
export const WIRE_TEXT_LIMIT = 8192;

/**
 * An Envoy event as sent to the webview: `text` is the line as the container wrote it (a
 * collector's time and prefix removed: the time is in `collectedAt`), cut to WIRE_TEXT_LIMIT;
 * `textLength` is its real length; an access-log entry carries its end and duration.
 */
export interface WireMatch extends EnvoyEventMatch, Omit<MatchTiming, 'body'> {
  readonly textLength: number;
}

/**
 * A reset as the panel holds and sends it. Log lines can be megabytes long; cutting them here
 * keeps every message and the webview's saved state small, whatever the logs hold.
 */
export interface WireReset extends Omit<ResetReport, 'matches'> {
  readonly matches: readonly WireMatch[];
}

function cut(text: string): string {
  return text.length <= WIRE_TEXT_LIMIT ? text : text.slice(0, WIRE_TEXT_LIMIT);
}

export function toWireReset(reset: ResetReport): WireReset {
  return {
    ...reset,
    exception: { ...reset.exception, outermost: cut(reset.exception.outermost), resetCause: cut(reset.exception.resetCause) },
    explanation: cut(reset.explanation),
    matches: reset.matches.map((m): WireMatch => {
      const { body, ...timing } = matchTiming(m.text);
      return { ...m, ...timing, text: cut(body), textLength: body.length };
    }),
  };
}

/** Resets grouped by cause and destination; `members` index the run's resets. */
export type { ResetGroup };

/** One event on the run's timeline: the correlator's own type, sent as it is. */
export type { TimelineEvent };

/** One input of a run, as the webview may name it back in a link. */
export interface RunSource {
  /** The key the correlator reported lines under (a URI string). */
  readonly file: string;
  /** What the user sees, e.g. `app.log` or `shop/checkout-7d9f/istio-proxy`. */
  readonly label: string;
  /** 1-based line in the document where the correlated text starts (a selection may start later). */
  readonly firstLine: number;
}

export interface RunSummary {
  readonly runId: number;
  readonly title: string;
  readonly sources: readonly RunSource[];
  /** Pods whose live logs were read (empty for files), so links can name the pod to other features. */
  readonly pods: readonly PodRef[];
  readonly totalResets: number;
  readonly linesRead: number;
  readonly envoyEvents: number;
  readonly appRecords: number;
  readonly warnings: readonly string[];
  readonly windowSeconds: number;
  readonly clockOffsetSeconds: number;
  /** Timeline events the correlator produced; the webview receives at most TIMELINE_LIMIT of them. */
  readonly totalTimelineEvents: number;
}

export type HostToWebview =
  | { readonly type: 'runStarted'; readonly run: RunSummary }
  | { readonly type: 'resets'; readonly runId: number; readonly offset: number; readonly resets: readonly WireReset[] }
  | { readonly type: 'groups'; readonly runId: number; readonly groups: readonly ResetGroup[] }
  | { readonly type: 'timeline'; readonly runId: number; readonly events: readonly TimelineEvent[] }
  | { readonly type: 'runFinished'; readonly runId: number };

export type WebviewToHost =
  /** The script has loaded; `restoredRunId` is the run it restored from its saved state, if any. */
  | { readonly type: 'ready'; readonly restoredRunId: number | null }
  | { readonly type: 'openSource'; readonly file: string; readonly line: number }
  | { readonly type: 'revealCluster'; readonly cluster: string; readonly pod: string | null }
  | { readonly type: 'findSetting'; readonly cluster: string; readonly pod: string | null }
  | { readonly type: 'enableDebugLogging'; readonly pod: string | null };

/** What the webview keeps with `setState`, so a reload or a restored window shows the same run. */
export interface PersistedAnnotatorState {
  readonly version: 2;
  readonly run: RunSummary;
  readonly resets: readonly WireReset[];
  readonly groups: readonly ResetGroup[];
  readonly timeline: readonly TimelineEvent[];
  readonly selected: number;
}

/** Resets per `resets` message: small enough that no single postMessage stalls either side. */
export const RESET_CHUNK_SIZE = 200;
/** Timeline events sent to the webview; an SVG with more would not be readable anyway. */
export const TIMELINE_LIMIT = 5000;

/**
 * The messages that deliver one run, in order: its summary, its resets in chunks, their groups
 * (once every reset they name has arrived), its timeline (capped), the end.
 */
export function runMessages(summary: RunSummary, resets: readonly WireReset[], groups: readonly ResetGroup[], timeline: readonly TimelineEvent[]): HostToWebview[] {
  const runId = summary.runId;
  const messages: HostToWebview[] = [{ type: 'runStarted', run: summary }];
  for (let offset = 0; offset < resets.length; offset += RESET_CHUNK_SIZE) {
    messages.push({ type: 'resets', runId, offset, resets: resets.slice(offset, offset + RESET_CHUNK_SIZE) });
  }
  if (groups.length > 0) messages.push({ type: 'groups', runId, groups });
  if (timeline.length > 0) messages.push({ type: 'timeline', runId, events: timeline.slice(0, TIMELINE_LIMIT) });
  messages.push({ type: 'runFinished', runId });
  return messages;
}
/** Longest string a webview message may carry (a path, a cluster name, a pod name). */
const MAX_FIELD_LENGTH = 4096;

type Fields = Record<string, unknown>;

function isRecord(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isBoundedString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_FIELD_LENGTH;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function optionalPod(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  return isBoundedString(v) ? v : undefined;
}

/**
 * Accepts a message from the webview only when it has exactly a known shape; returns null for
 * anything else, so a compromised or buggy webview cannot make the extension act on junk.
 */
export function parseWebviewMessage(raw: unknown): WebviewToHost | null {
  if (!isRecord(raw)) return null;
  switch (raw.type) {
    case 'ready': {
      const restored = raw.restoredRunId;
      if (restored === null) return { type: 'ready', restoredRunId: null };
      return isCount(restored) ? { type: 'ready', restoredRunId: restored } : null;
    }
    case 'openSource':
      return isBoundedString(raw.file) && isCount(raw.line) && raw.line >= 1
        ? { type: 'openSource', file: raw.file, line: raw.line }
        : null;
    case 'revealCluster': {
      const pod = optionalPod(raw.pod);
      return isBoundedString(raw.cluster) && pod !== undefined ? { type: 'revealCluster', cluster: raw.cluster, pod } : null;
    }
    case 'findSetting': {
      const pod = optionalPod(raw.pod);
      return isBoundedString(raw.cluster) && pod !== undefined ? { type: 'findSetting', cluster: raw.cluster, pod } : null;
    }
    case 'enableDebugLogging': {
      const pod = optionalPod(raw.pod);
      return pod === undefined ? null : { type: 'enableDebugLogging', pod };
    }
    default:
      return null;
  }
}

function parseRunSource(v: unknown): RunSource | null {
  if (!isRecord(v) || !isBoundedString(v.file) || typeof v.label !== 'string' || !isCount(v.firstLine)) return null;
  return { file: v.file, label: v.label, firstLine: Math.max(1, v.firstLine) };
}

function parsePodRef(v: unknown): PodRef | null {
  if (!isRecord(v) || !isBoundedString(v.context) || !isBoundedString(v.namespace) || !isBoundedString(v.name)) return null;
  return { context: v.context, namespace: v.namespace, name: v.name };
}

function parseAll<T>(v: unknown, parse: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(v)) return null;
  const out: T[] = [];
  for (const item of v) {
    const parsed = parse(item);
    if (parsed === null) return null;
    out.push(parsed);
  }
  return out;
}

/**
 * Reads back what the webview persisted. The webview is the less trusted side, so the extension
 * takes nothing it acts on from here (see `restoredSummary`); it checks the shape and passes the
 * rest to the webview untouched, which renders it as text. Fields it does not know are dropped;
 * a state saved before resets were grouped (version 1) is not restored.
 */
export function parsePersistedState(raw: unknown): PersistedAnnotatorState | null {
  if (!isRecord(raw) || raw.version !== 2 || !isRecord(raw.run)) return null;
  const run = raw.run;
  const sources = parseAll(run.sources, parseRunSource);
  const pods = parseAll(run.pods, parsePodRef);
  if (!isCount(run.runId) || !sources || !pods) return null;
  if (!Array.isArray(raw.resets) || !Array.isArray(raw.groups) || !Array.isArray(raw.timeline)) return null;
  return {
    version: 2,
    run: { ...(run as unknown as RunSummary), sources, pods },
    resets: raw.resets as WireReset[],
    groups: raw.groups as ResetGroup[],
    timeline: raw.timeline as TimelineEvent[],
    selected: isCount(raw.selected) ? raw.selected : 0,
  };
}

/** What links of a run may use, recorded by the extension when it showed the run (workspaceState). */
export interface RunGrants {
  readonly runId: number;
  readonly sources: readonly RunSource[];
  readonly pods: readonly PodRef[];
}

/**
 * The summary of a run restored from the webview's saved state, with the files links may open and
 * the pods they may name replaced by the extension's own record of that run: a crafted state can
 * change what the panel shows, never what it opens. A run without a record gets no links.
 */
export function restoredSummary(state: PersistedAnnotatorState, grants: readonly RunGrants[]): RunSummary {
  const own = grants.find((g) => g.runId === state.run.runId);
  return { ...state.run, sources: own?.sources ?? [], pods: own?.pods ?? [] };
}
