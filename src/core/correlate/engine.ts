/**
 * The streaming correlator. Items arrive in (roughly) time order from all inputs; Envoy events are
 * kept only while a reset could still need them, and each reset is decided as soon as the window
 * after it has passed, so memory does not grow with the size of the logs.
 */

import type { EnvoyLineKind, EnvoyEventMatch, ResetCause, ResetReport } from './types';
import { CAUSE_PRECEDENCE, fixFor, isFallbackCause, refinedByHint } from './causes';
import { matchDestination, type DestinationMatch } from './destination';
import type { EnvoyItem, InputItem, ResetItem } from './scan';
import { ConnectionTracker, type ConnectionRecord } from './connections';
import { EventWindow, type StoredEvent } from './eventWindow';
import { ConnectionEnds } from './connectionEnds';
import { PodIds } from './podIds';
import { addressKey } from '../logs/addressKey';
import { PendingResets, type PendingReset } from './pendingResets';
import { ConnectTimeoutInference } from './timeoutInference';
import { ISTIO_DEFAULT_CONNECT_TIMEOUT } from '../istioDefaults';
import { parseClusterName } from '../envoy/clusterName';
import { explainUnmatched, explainVerdict } from './explain';
import { resolveTimeOfDay, toIsoUtc } from '../logs/time';
import { isKeepAliveRace } from '../logs/envoyEvent';

export interface EngineOptions {
  readonly windowMs: number;
  readonly clockOffsetMs: number;
  readonly knownConnectTimeouts: ReadonlyMap<string, number>;
  /** Receives each reset as soon as it is decided; the engine then keeps none (constant memory). */
  readonly onReport?: (report: ResetReport) => void;
}

/** Extra time after a reset's window before deciding it, for lines logged slightly out of order. */
const GRACE_MS = 1000;
/** Events this close to the reset (or to each other) count as the same moment. */
const SAME_MOMENT_MS = 50;
/** How far before the deciding event a connection's earlier steps are still part of the chain. */
const CHAIN_SPAN_MS = 60_000;
const CONNECTION_IDLE_MS = 120_000;
/** Hard bound on remembered events, for debug logs far denser than any window needs. */
const MAX_WINDOW_EVENTS = 100_000;
/**
 * Hard bound on resets waiting for their window, for logs with more resets in one window than any
 * incident has; past it the oldest are decided early, on the events seen so far.
 */
const MAX_PENDING_RESETS = 100_000;
/**
 * The most Envoy events one reset is weighed against: in a flood (tens of thousands of events in
 * its window) the nearest in time, so that a log of many resets in few seconds stays linear.
 */
const MAX_EVENTS_PER_RESET = 1024;
/** Hard bound on `HH:mm:ss` resets waiting for a dated line to place them. */
const MAX_UNDATED_RESETS = 10_000;
/**
 * How far an Envoy event may precede the record (or follow it) when nothing but time links them:
 * an application logs the failure Envoy caused within milliseconds, so an unrelated failure a few
 * hundred milliseconds earlier (another request, another destination) must not explain it.
 */
const LOOSE_LEAD_MS = 300;
const DEFAULT_WINDOW_MS = 5000;
const TERMINATION = /connection[_ ]termination/;
const LOOSE_LAG_MS = 100;
/** Envoy-initiated closes remembered for the next use of the connection, which may come much later. */
const MAX_REMEMBERED_CLOSES = 10_000;
const REMEMBERED_CLOSE_MS = 6 * 3_600_000;


type Role = 'upstream' | 'downstream' | null;

function roleOf(connection: ConnectionRecord | null): Role {
  if (!connection) return null;
  if (connection.connectingMs !== null || connection.downstreamId !== null) return 'upstream';
  if (connection.cluster !== null || connection.upstreamIds.length > 0) return 'downstream';
  return null;
}

/**
 * The kind shown for an event: Envoy closing the application's connection is `downstream-closed`,
 * the upstream closing Envoy's is `upstream-reset`. Closes the application asked for itself (its
 * `remote close`) are ordinary `closing`.
 */
function effectiveKind(stored: StoredEvent): EnvoyLineKind {
  const { kind, closedBy } = stored.item.event;
  if (kind !== 'closing') return kind;
  const role = roleOf(stored.connection);
  if (role === 'downstream' && !stored.connection!.remoteClosed) return 'downstream-closed';
  if (role === 'upstream' && closedBy === 'remote') return 'upstream-reset';
  return 'closing';
}

/** The cause an event is evidence for, given what its connection showed before. */
function causeOfStored(stored: StoredEvent): ResetCause | null {
  const { event } = stored.item;
  if (event.cause !== null) return event.cause;
  const kind = effectiveKind(stored);
  if (event.kind === 'closing' && event.closedBy !== 'remote' && stored.connection?.closeCause) return stored.connection.closeCause;
  if (kind === 'downstream-closed') return 'downstream-closed';
  if (kind === 'upstream-reset') return 'upstream-reset';
  return null;
}

/** How strongly an event, on its own, explains a failure; 0 when it does not. */
function anchorWeight(stored: StoredEvent, cause: ResetCause): number {
  const kind = stored.item.event.kind;
  if (cause === 'downstream-closed') return kind === 'access-log' ? 0.55 : 0.45;
  if (cause === 'proxy-shutdown') return 0.6;
  if (kind === 'access-log') return 0.7;
  if (kind === 'connect-timeout') return 1;
  return 0.85;
}

/** Causes that the same failure text can stand for, so a hint and an event of either agree. */
const RELATED: Readonly<Partial<Record<ResetCause, readonly ResetCause[]>>> = {
  'idle-timeout': ['upstream-reset', 'max-duration', 'downstream-closed'],
  'upstream-reset': ['idle-timeout', 'max-duration'],
  'upstream-connect-failure': ['connect-timeout', 'connection-refused', 'tls-failure', 'no-healthy-upstream'],
  'connect-timeout': ['upstream-connect-failure'],
  'connection-refused': ['upstream-connect-failure'],
  'tls-failure': ['upstream-connect-failure'],
  'max-duration': ['idle-timeout', 'upstream-reset', 'downstream-closed'],
};

function agreement(hint: ResetCause | null, cause: ResetCause): number {
  if (hint === null) return 0;
  if (hint === cause) return 0.5;
  return RELATED[hint]?.includes(cause) ? 0.2 : -0.3;
}

/** The most specific of several causes (see CAUSE_PRECEDENCE). */
function mostSpecific(causes: readonly ResetCause[]): ResetCause | null {
  let best: ResetCause | null = null;
  for (const c of causes) if (best === null || CAUSE_PRECEDENCE.indexOf(c) < CAUSE_PRECEDENCE.indexOf(best)) best = c;
  return best;
}

interface Candidate {
  readonly stored: StoredEvent;
  readonly cause: ResetCause;
  readonly leadMs: number;
  readonly match: DestinationMatch;
  readonly score: number;
}

/** What was decided about one application failure: everything a report holds beyond the line itself and the fix. */
type Verdict = Pick<ResetReport, 'cause' | 'confidence' | 'explanation' | 'matches' | 'connectTimeoutSeconds' | 'cluster'>;

/** The one ResetReport builder: the application's line at `timeMs` (null: no usable time), with its verdict and the verdict's fix. */
function resetReport(item: ResetItem, timeMs: number | null, verdict: Verdict): ResetReport {
  return {
    kind: item.kind,
    file: item.file,
    line: item.line,
    time: timeMs === null ? null : toIsoUtc(timeMs),
    pod: item.pod,
    exception: item.exception,
    cause: verdict.cause,
    confidence: verdict.confidence,
    explanation: verdict.explanation,
    matches: verdict.matches,
    connectTimeoutSeconds: verdict.connectTimeoutSeconds,
    cluster: verdict.cluster,
    fix: fixFor(verdict.cause),
  };
}

const NO_DATE = 'unexplained: the record has a time but no date, and no other input supplied one';

function podsCompatible(resetPod: string | null, eventPod: string | null): boolean {
  return resetPod === null || eventPod === null || resetPod === eventPod;
}

export class ResetEngine {
  readonly reports: ResetReport[] = [];
  readonly warnings: string[] = [];
  envoyEvents = 0;
  accessLogLines = 0;
  appRecords = 0;
  /** Envoy-initiated closes (idle timeout, maximum duration), kept past the window for the connection's next use. */
  private closes: StoredEvent[] = [];
  private readonly podIds = new PodIds();
  private readonly connectionEnds = new ConnectionEnds(this.podIds);
  private readonly events = new EventWindow();
  /** Successful access-log lines, by their pod's id (-1: none): counted as events nearby, never evidence. */
  private readonly successes = new EventWindow<number>();
  private readonly connections = new ConnectionTracker();
  private readonly inference = new ConnectTimeoutInference();
  private readonly pending = new PendingResets();
  private undated: ResetItem[] = [];
  private nowMs = -Infinity;
  private sinceEviction = 0;
  private droppedEvents = 0;
  private decidedEarly = 0;
  /** Resets weighed against only the nearest of the events in their window (a flood). */
  private partlyWeighed = 0;

  constructor(private readonly options: EngineOptions) {}

  /** Where `item` sits in time after the clock offset, or null when it cannot be placed yet. */
  timeOf(item: InputItem): number | null {
    if (item.type === 'envoy') return item.event.endMs;
    if (item.type === 'access-success') return item.endMs;
    const { timeMs, timeOfDayMs } = item.time;
    if (timeMs !== null) return timeMs + this.options.clockOffsetMs;
    if (timeOfDayMs !== null && this.nowMs > -Infinity) return resolveTimeOfDay(timeOfDayMs + this.options.clockOffsetMs, this.nowMs);
    return null;
  }

  add(item: InputItem): void {
    if (item.type === 'envoy') {
      this.addEnvoy(item);
    } else if (item.type === 'access-success') {
      this.envoyEvents++;
      this.addSuccess(item.endMs, item.address, item.pod);
    } else {
      this.addReset(item);
    }
  }

  private addEnvoy(item: EnvoyItem): void {
    this.envoyEvents++;
    const { event } = item;
    if (event.kind === 'access-log' && event.cause === null && event.flags.length === 0) {
      // The same line as the byte reader's AccessSuccessItem, kept the same way, whichever path read it.
      this.addSuccess(event.endMs, event.downstreamRemote === null ? null : addressKey(event.downstreamRemote), item.pod);
      return;
    }
    const connection = this.connections.observe(item);
    const cluster = event.cluster ?? connection?.cluster ?? null;
    if (cluster !== null) {
      if (event.kind === 'connect-timeout' && connection?.connectingMs != null && roleOf(connection) === 'upstream') {
        this.inference.addAttempt(cluster, event.timeMs - connection.connectingMs);
      } else if (event.kind === 'access-log' && event.flags.includes('UF') && event.durationMs !== null) {
        this.inference.addAttempt(cluster, event.durationMs);
      }
    }
    const stored: StoredEvent = { item, connection };
    this.events.push(stored, event.endMs);
    if (event.kind === 'access-log') {
      this.accessLogLines++;
      if (event.downstreamRemote !== null) this.connectionEnds.record(addressKey(event.downstreamRemote), event.endMs, item.pod, this.podIds.idOf(item.pod), event.cause !== null ? stored : null);
    } else if (event.cause === 'idle-timeout' || event.cause === 'max-duration') {
      this.closes.push(stored);
      if (this.closes.length > MAX_REMEMBERED_CLOSES) this.closes = this.closes.slice(-MAX_REMEMBERED_CLOSES / 2);
    }
    // Also when time stands still (one second of a flood), which `advance` passes over.
    if (this.events.size > MAX_WINDOW_EVENTS) this.droppedEvents += this.events.capAt(MAX_WINDOW_EVENTS);
    this.advance(event.endMs);
  }

  private addSuccess(endMs: number, address: number | string | null, pod: string | null): void {
    this.accessLogLines++;
    // Looked up once: the window and the connection's end both keep the pod as its id.
    const podId = this.podIds.idOf(pod);
    if (address !== null) this.connectionEnds.record(address, endMs, pod, podId, null);
    this.successes.push(podId, endMs);
    if (this.successes.size > MAX_WINDOW_EVENTS) this.successes.capAt(MAX_WINDOW_EVENTS);
    this.advance(endMs);
  }

  private addReset(item: ResetItem): void {
    this.appRecords++;
    if (item.time.timeMs === null && item.time.timeOfDayMs === null) {
      if (!item.statusOnly) this.emit(this.unexplained(item, null, `unexplained: ${item.noTime ?? 'the record carries no time'}, so it cannot be matched with Envoy events`));
      else this.appRecords--;
      return;
    }
    const timeMs = this.timeOf(item);
    if (timeMs === null) {
      // A later line of the same record (read together, so among the last few) replaces it.
      let same = -1;
      for (let i = this.undated.length - 1; i >= 0 && i >= this.undated.length - 64 && same < 0; i--) if (this.undated[i]!.file === item.file && this.undated[i]!.line === item.line) same = i;
      if (same >= 0) {
        this.undated[same] = item;
        this.appRecords--;
        return;
      }
      this.undated.push(item);
      if (this.undated.length >= MAX_UNDATED_RESETS) this.giveUpOnUndated();
      return;
    }
    if (this.pending.replace({ item, timeMs })) {
      this.appRecords--;
      return;
    }
    this.pending.add({ item, timeMs });
    if (this.pending.size > MAX_PENDING_RESETS) this.decideEarly();
    this.advance(timeMs);
  }

  private advance(timeMs: number): void {
    if (timeMs <= this.nowMs) return;
    this.nowMs = timeMs;
    if (this.undated.length > 0) {
      // The first dated line supplies the date that `HH:mm:ss.SSS` records lack.
      const undated = this.undated;
      this.undated = [];
      for (const item of undated) this.pending.add({ item, timeMs: this.timeOf(item)! });
      if (this.pending.size > MAX_PENDING_RESETS) this.decideEarly();
    }
    const { windowMs } = this.options;
    this.decideDue(timeMs - windowMs - GRACE_MS);
    // Only events that a still-undecided reset could need are kept.
    const oldestNeeded = Math.min(timeMs, this.pending.earliestMs ?? timeMs) - windowMs - GRACE_MS;
    this.events.evictBefore(oldestNeeded);
    this.successes.evictBefore(oldestNeeded);
    this.droppedEvents += this.events.capAt(MAX_WINDOW_EVENTS);
    if (++this.sinceEviction >= 10_000) {
      this.sinceEviction = 0;
      this.connections.evictIdle(timeMs - Math.max(CONNECTION_IDLE_MS, 2 * windowMs));
    }
  }

  private decideDue(cutoffMs: number): void {
    // Nearly every event moves time on while no reset is due: asking first spares an empty array each time.
    const earliest = this.pending.earliestMs;
    if (earliest === null || earliest >= cutoffMs) return;
    for (const p of this.pending.takeDue(cutoffMs)) this.emit(this.decide(p));
  }

  private decideEarly(): void {
    const early = this.pending.takeDue(-Infinity, MAX_PENDING_RESETS);
    this.decidedEarly += early.length;
    for (const p of early) this.emit(this.decide(p));
  }

  /** Reports the `HH:mm:ss` resets waiting for a date as undatable. */
  private giveUpOnUndated(): void {
    for (const item of this.undated) this.emit(item.statusOnly ? null : this.unexplained(item, null, NO_DATE));
    this.undated = [];
  }

  /** Decides every reset still open (end of input). */
  finish(): void {
    this.giveUpOnUndated();
    this.decideDue(Infinity);
    if (this.decidedEarly > 0) {
      this.warnings.push(`${this.decidedEarly} resets were decided before the window after them had passed because more than ${MAX_PENDING_RESETS} were waiting at once; narrow the window or the input.`);
    }
    if (this.partlyWeighed > 0) {
      this.warnings.push(`${this.partlyWeighed} resets had more than ${MAX_EVENTS_PER_RESET} Envoy events within their window and were weighed against the ${MAX_EVENTS_PER_RESET} nearest in time; narrow the window or the input.`);
    }
    if (this.droppedEvents > 0) {
      this.warnings.push(`${this.droppedEvents} Envoy events were dropped because more than ${MAX_WINDOW_EVENTS} fell within one window; narrow the window or the input.`);
    }
    this.reports.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.file.localeCompare(b.file) || a.line - b.line);
  }

  private emit(report: ResetReport | null): void {
    if (report === null) {
      this.appRecords--;
      return;
    }
    if (this.options.onReport) this.options.onReport(report);
    else this.reports.push(report);
  }

  private unexplained(item: ResetItem, timeMs: number | null, explanation: string): ResetReport {
    return resetReport(item, timeMs, { cause: 'unexplained', confidence: 0, explanation, matches: [], connectTimeoutSeconds: null, cluster: null });
  }

  private decide({ item, timeMs }: PendingReset): ResetReport | null {
    const { windowMs } = this.options;
    const precision = item.time.precisionMs ?? 1;
    let best: Candidate | null = null;
    const window = this.events.around(timeMs, timeMs - windowMs, timeMs + precision + windowMs, MAX_EVENTS_PER_RESET);
    const podId = item.pod === null ? null : this.podIds.known(item.pod);
    // A pod never met has no successes of its own: only those of no pod are near it.
    let nearby = this.successes.count(timeMs - windowMs, timeMs + precision + windowMs, (id) => podId === null || id === -1 || id === podId);
    if (!window.complete) this.partlyWeighed++;
    for (const stored of window.events) {
      if (!podsCompatible(item.pod, stored.item.pod)) continue;
      nearby++;
      const cause = causeOfStored(stored);
      if (cause === null) continue;
      const candidate = this.candidate(item, timeMs, precision, stored, cause);
      if (candidate && (best === null || candidate.score > best.score)) best = candidate;
    }
    if (!best) best = this.sameConnectionEarlier(item, timeMs);
    if (!best) {
      // Only a status code, and no Envoy line answered it: the upstream sent it, no finding.
      if (item.statusOnly) return null;
      if (item.hint !== null) return this.hintOnly(item, timeMs);
      return this.unexplained(item, timeMs, explainUnmatched(windowMs / 1000, item.pod !== null, nearby, item.kind === 'http-error' ? 'error' : 'reset'));
    }
    if (item.statusOnly && (best.stored.item.event.kind !== 'access-log' && best.stored.item.event.kind !== 'local-reply' && best.stored.item.event.kind !== 'no-healthy-upstream')) return null;
    return this.verdict(item, timeMs, best);
  }

  private candidate(item: ResetItem, timeMs: number, precision: number, stored: StoredEvent, cause: ResetCause): Candidate | null {
    const { event } = stored.item;
    const t = event.endMs;
    // Positive: the event came first. A time with 1 s resolution is an interval: inside it, the lead is 0.
    const leadMs = t < timeMs ? timeMs - t : t > timeMs + precision ? timeMs + precision - t : 0;
    const match = matchDestination(item.destination, stored);
    if (match === 'other') return null;
    if (item.statusOnly && !this.answersStatus(stored)) return null;
    const linked = match === 'same-connection' || match === 'same-destination';
    const shutdown = cause === 'proxy-shutdown';
    // A window wider than the default says the clocks may differ that much: time alone may link then.
    const loose = this.options.windowMs > DEFAULT_WINDOW_MS;
    if (!linked && !shutdown && !loose && (leadMs > LOOSE_LEAD_MS || leadMs < -LOOSE_LAG_MS)) return null;
    const windowMs = this.options.windowMs;
    let score = anchorWeight(stored, cause) + agreement(item.hint, cause) - (leadMs >= 0 ? leadMs : -3 * leadMs) / windowMs;
    if (match === 'same-connection') score += 0.4;
    else if (match === 'same-destination') score += 0.2;
    return { stored, cause, leadMs, match, score };
  }

  /** An HTTP status alone is Envoy's when Envoy's line shows a local reply of that status. */
  private answersStatus(stored: StoredEvent): boolean {
    const { event } = stored.item;
    if (event.kind !== 'access-log') return event.kind === 'local-reply' || event.kind === 'no-healthy-upstream';
    return event.details !== 'via_upstream' && (event.flags.length > 0 || event.details === 'direct_response' || (event.details?.startsWith('upstream_reset') ?? false));
  }

  /**
   * A connection Envoy closed (idle timeout, maximum duration) fails on its next use, which may be
   * minutes later: the application's own address links the failure to the connection's access-log
   * line, whose end is the close.
   */
  private sameConnectionEarlier(item: ResetItem, timeMs: number): Candidate | null {
    const local = item.destination.local;
    if (local === null) return null;
    const end = this.connectionEnds.lastEnd(local);
    if (!end || end.endMs > timeMs || timeMs - end.endMs > REMEMBERED_CLOSE_MS) return null;
    if (!podsCompatible(item.pod, end.pod)) return null;
    const close = this.closes.find((c) => Math.abs(c.item.event.timeMs - end.endMs) <= 1000 && podsCompatible(end.pod, c.item.pod));
    const stored = close ?? end.failed;
    const cause = stored?.item.event.cause ?? null;
    if (!stored || cause === null) return null;
    return { stored, cause, leadMs: timeMs - stored.item.event.endMs, match: 'same-connection', score: 1 };
  }

  private hintOnly(item: ResetItem, timeMs: number): ResetReport {
    const cause = item.hint!;
    const explanation = explainVerdict({ kind: item.kind, cause, cluster: null, address: null, connectionId: null, connectTimeoutSeconds: null, leadMs: 0, evidence: 'the reset reason in the application\'s error', hintOnly: true });
    return resetReport(item, timeMs, { cause, confidence: 0.5, explanation, matches: [], connectTimeoutSeconds: null, cluster: null });
  }

  private chainEvents(anchor: StoredEvent): StoredEvent[] {
    if (!anchor.connection) return [anchor];
    const from = anchor.item.event.endMs - CHAIN_SPAN_MS;
    const to = anchor.item.event.endMs + this.options.windowMs;
    const chain: StoredEvent[] = [];
    for (const connection of this.connections.chainOf(anchor.connection)) {
      for (const item of connection.events) {
        if (item.event.timeMs >= from && item.event.timeMs <= to) chain.push({ item, connection });
      }
    }
    return chain;
  }

  /** The access-log line for the same attempt: same cluster, ending when the chain's failure happened. */
  private accessLogFor(anchor: StoredEvent, cluster: string | null): StoredEvent | null {
    const end = anchor.item.event.endMs;
    for (const stored of this.events.between(end - SAME_MOMENT_MS, end + SAME_MOMENT_MS)) {
      const { event } = stored.item;
      if (event.kind !== 'access-log' || stored === anchor) continue;
      if (!podsCompatible(anchor.item.pod, stored.item.pod)) continue;
      if (cluster !== null && event.cluster !== null && event.cluster !== cluster) continue;
      if (event.cause !== null) return stored;
    }
    return null;
  }

  /**
   * Whether a pooled connection that Envoy had just reused was closed by the upstream at the
   * anchor's moment: the keep-alive race, where the upstream's idle timeout closed the connection
   * as Envoy sent the next request on it.
   */
  private reusedConnectionClosedAt(anchor: StoredEvent): boolean {
    const end = anchor.item.event.endMs;
    for (const stored of this.events.between(end - 2 * SAME_MOMENT_MS, end + SAME_MOMENT_MS)) {
      if (!podsCompatible(anchor.item.pod, stored.item.pod)) continue;
      const connection = stored.connection;
      if (connection?.reused && connection.remoteClosed) return true;
    }
    return false;
  }

  /** A server-side access-log line rejecting, for its TLS mode, the endpoint the anchor's request went to, when it did. */
  private serverTlsRejectionOf(anchor: StoredEvent): StoredEvent | null {
    const { event } = anchor.item;
    if (event.kind !== 'access-log' || event.address === null) return null;
    for (const stored of this.events.between(event.timeMs - SAME_MOMENT_MS, event.endMs + SAME_MOMENT_MS)) {
      const server = stored.item.event;
      if (server.kind === 'access-log' && server.cause === 'tls-failure' && server.downstreamLocal === event.address) return stored;
    }
    return null;
  }

  private timeoutFor(cluster: string | null): number | null {
    if (cluster === null) return null;
    return this.options.knownConnectTimeouts.get(cluster) ?? this.inference.timeoutSeconds(cluster);
  }

  /** The debug line of the same attempt as an access-log line: a failure on a connection, when the access log's request ended. */
  private debugFor(access: StoredEvent): StoredEvent | null {
    const end = access.item.event.endMs;
    for (const stored of this.events.between(end - SAME_MOMENT_MS, end + SAME_MOMENT_MS)) {
      const { event } = stored.item;
      if (event.kind === 'access-log' || stored.connection === null || causeOfStored(stored) === null) continue;
      if (!podsCompatible(access.item.pod, stored.item.pod)) continue;
      const cluster = event.cluster ?? stored.connection.cluster;
      if (cluster !== null && access.item.event.cluster !== null && cluster !== access.item.event.cluster) continue;
      return stored;
    }
    return null;
  }

  private verdict(item: ResetItem, timeMs: number, best: Candidate): ResetReport {
    // An access-log line chosen for its connection still has the debug lines of the same attempt.
    const debug = best.stored.item.event.kind === 'access-log' ? this.debugFor(best.stored) : null;
    const anchor = debug ?? best.stored;
    const chain = this.chainEvents(anchor);
    const cluster = anchor.item.event.cluster ?? chain.map((s) => s.item.event.cluster ?? s.connection?.cluster ?? null).find((c) => c !== null) ?? null;
    const fromDebug = anchor.item.event.kind !== 'access-log';
    const access = debug ? best.stored : fromDebug ? this.accessLogFor(anchor, cluster) : null;
    const matched = access && !chain.includes(access) ? [...chain, access] : chain;
    const address = chain.map((s) => s.connection?.address ?? s.item.event.address).find((a) => a) ?? null;
    const timeout = this.timeoutFor(cluster);
    let connectTimeoutSeconds = timeout;
    const evidenceCauses = matched.map(causeOfStored).filter((c): c is ResetCause => c !== null);
    let cause = mostSpecific([best.cause, ...evidenceCauses.filter((c) => c !== 'downstream-closed' && c !== 'upstream-reset' || best.cause === 'downstream-closed')]) ?? best.cause;
    // The application's own reason decides between causes its text and the evidence both allow,
    // unless it only says the connection failed (`reset reason: connection failure`) and the evidence says why.
    if (item.hint !== null && item.hint !== cause && !isFallbackCause(item.hint) && evidenceCauses.includes(item.hint)) cause = item.hint;
    cause = refinedByHint(cause, item.hint);
    let confidence = fromDebug ? 0.8 : 0.7;
    const raced = cause === 'upstream-reset' && ((matched.some((s) => TERMINATION.test(s.item.text)) && this.reusedConnectionClosedAt(anchor)) || (!fromDebug && isKeepAliveRace(anchor.item.event)));
    if (raced) cause = 'idle-timeout';
    // The server's sidecar rejecting the connection for its TLS mode (`NR filter_chain_not_found` on the
    // endpoint this sidecar called, at that moment) is why the client's sidecar saw it terminated.
    if (cause === 'idle-timeout' || cause === 'upstream-reset') {
      const rejection = this.serverTlsRejectionOf(anchor);
      if (rejection) {
        cause = 'tls-failure';
        matched.push(rejection);
      }
    }
    if (cause === 'upstream-connect-failure' && !fromDebug) {
      const duration = anchor.item.event.durationMs;
      // With no timeout given or inferred, an Istio cluster is measured against Istio's default.
      const limit = timeout ?? (cluster !== null && parseClusterName(cluster).direction !== 'other' ? ISTIO_DEFAULT_CONNECT_TIMEOUT.seconds : null);
      const fitsTimeout = limit !== null && duration !== null && duration > 0 && Math.abs(duration / Math.round(duration / (limit * 1000) || 1) - limit * 1000) <= Math.max(20, limit * 20);
      if (fitsTimeout) {
        cause = 'connect-timeout';
        confidence = timeout === null ? 0.65 : 0.75;
        connectTimeoutSeconds = limit;
      }
    }
    if (cause === 'connect-timeout' && connectTimeoutSeconds === null) {
      const upstream = chain.find((s) => s.item.event.kind === 'connect-timeout' && s.connection?.connectingMs != null);
      if (upstream) connectTimeoutSeconds = Math.round((upstream.item.event.timeMs - upstream.connection!.connectingMs!) / 10) / 100;
    }
    if (fromDebug && access) confidence += 0.1;
    if (item.hint !== null && item.hint === cause) confidence += 0.1;
    if (best.match === 'same-connection' || best.match === 'same-destination') confidence += 0.05;
    if (cause === 'idle-timeout' && chain.some((s) => s.connection?.reused)) confidence += 0.05;
    if (item.pod !== null && anchor.item.pod === item.pod) confidence += 0.05;
    const lead = timeMs - anchor.item.event.endMs;
    if (Math.abs(best.leadMs) > 1000) confidence -= 0.15;
    else if (Math.abs(best.leadMs) > SAME_MOMENT_MS) confidence -= 0.05;
    if (cause === 'downstream-closed') confidence -= 0.1;
    const matches = matched
      .map((s): EnvoyEventMatch => ({
        file: s.item.file,
        line: s.item.line,
        kind: effectiveKind(s),
        connectionId: s.item.event.connectionId,
        cluster: s.item.event.cluster ?? s.connection?.cluster ?? null,
        time: toIsoUtc(s.item.event.timeMs),
        text: s.item.text,
      }))
      .sort((a, b) => a.time.localeCompare(b.time) || a.file.localeCompare(b.file) || a.line - b.line);
    const flags = anchor.item.event.flags;
    const connection = anchor.item.event.connectionId;
    // A drain or exit line names no connection: say what was logged, not "on [C?]".
    const logged = connection !== null ? `\`${effectiveKind(anchor)}\` on [C${connection}]` : `\`${effectiveKind(anchor)}\``;
    const evidence = flags.length > 0 ? `response flags ${flags.join(',')}` : anchor.item.event.details ? `details ${anchor.item.event.details}` : logged;
    return resetReport(item, timeMs, {
      cause,
      confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
      explanation: explainVerdict({ kind: item.kind, cause, cluster, address, connectionId: anchor.item.event.connectionId, connectTimeoutSeconds, leadMs: lead, precisionMs: item.time.precisionMs, evidence }),
      matches,
      connectTimeoutSeconds,
      cluster,
    });
  }
}

