/**
 * The streaming correlator. Items arrive in (roughly) time order from all inputs; Envoy events are
 * kept only while a reset could still need them, and each reset is decided as soon as the window
 * after it has passed, so memory does not grow with the size of the logs.
 */

import type { EnvoyEventKind, EnvoyEventMatch, ResetCause, ResetReport } from './types';
import type { EnvoyItem, InputItem, ResetItem } from './scan';
import { ConnectionTracker, type ConnectionRecord } from './connections';
import { EventWindow, type StoredEvent } from './eventWindow';
import { PendingResets, type PendingReset } from './pendingResets';
import { ConnectTimeoutInference } from './timeoutInference';
import { explainUnmatched, explainVerdict } from './explain';
import { resolveTimeOfDay, toIsoUtc } from '../logs/time';

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
/** Hard bound on `HH:mm:ss` resets waiting for a dated line to place them. */
const MAX_UNDATED_RESETS = 10_000;
const FAILURE_FLAGS = new Set(['UF', 'UH', 'UC', 'UR', 'LR', 'DC']);


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
function effectiveKind(stored: StoredEvent): EnvoyEventKind {
  const { kind, closedBy } = stored.item.event;
  if (kind !== 'closing') return kind;
  const role = roleOf(stored.connection);
  if (role === 'downstream' && !stored.connection!.remoteClosed) return 'downstream-closed';
  if (role === 'upstream' && closedBy === 'remote') return 'upstream-reset';
  return 'closing';
}

function failureFlags(stored: StoredEvent): string[] {
  return stored.item.event.flags.filter((f) => FAILURE_FLAGS.has(f));
}

/** How strongly an event, on its own, explains a reset; 0 when it does not. */
function anchorWeight(stored: StoredEvent): number {
  const kind = effectiveKind(stored);
  switch (kind) {
    case 'connect-timeout':
      return 1;
    case 'connect-failure':
      return 0.9;
    case 'upstream-reset':
      return 0.8;
    case 'access-log':
      return failureFlags(stored).length > 0 ? 0.6 : 0;
    case 'downstream-closed':
      return 0.5;
    default:
      return 0;
  }
}

const NO_DATE = 'unexplained: the record has a time but no date, and no other input supplied one';

function podsCompatible(resetPod: string | null, eventPod: string | null): boolean {
  return resetPod === null || eventPod === null || resetPod === eventPod;
}

export class ResetEngine {
  readonly reports: ResetReport[] = [];
  readonly warnings: string[] = [];
  envoyEvents = 0;
  appRecords = 0;
  private readonly events = new EventWindow();
  private readonly connections = new ConnectionTracker();
  private readonly inference = new ConnectTimeoutInference();
  private readonly pending = new PendingResets();
  private undated: ResetItem[] = [];
  private nowMs = -Infinity;
  private sinceEviction = 0;
  private droppedEvents = 0;
  private decidedEarly = 0;

  constructor(private readonly options: EngineOptions) {}

  /** Where `item` sits in time after the clock offset, or null when it cannot be placed yet. */
  timeOf(item: InputItem): number | null {
    if (item.type === 'envoy') return item.event.endMs;
    const { timeMs, timeOfDayMs } = item.time;
    if (timeMs !== null) return timeMs + this.options.clockOffsetMs;
    if (timeOfDayMs !== null && this.nowMs > -Infinity) return resolveTimeOfDay(timeOfDayMs + this.options.clockOffsetMs, this.nowMs);
    return null;
  }

  add(item: InputItem): void {
    if (item.type === 'envoy') this.addEnvoy(item);
    else this.addReset(item);
  }

  private addEnvoy(item: EnvoyItem): void {
    this.envoyEvents++;
    const connection = this.connections.observe(item);
    const { event } = item;
    const cluster = event.cluster ?? connection?.cluster ?? null;
    if (cluster !== null) {
      if (event.kind === 'connect-timeout' && connection?.connectingMs != null && roleOf(connection) === 'upstream') {
        this.inference.addAttempt(cluster, event.timeMs - connection.connectingMs);
      } else if (event.kind === 'access-log' && event.flags.includes('UF') && event.durationMs !== null) {
        this.inference.addAttempt(cluster, event.durationMs);
      }
    }
    this.events.push({ item, connection });
    // Also when time stands still (one second of a flood), which `advance` passes over.
    if (this.events.size > MAX_WINDOW_EVENTS) this.droppedEvents += this.events.capAt(MAX_WINDOW_EVENTS);
    this.advance(event.endMs);
  }

  private addReset(item: ResetItem): void {
    this.appRecords++;
    if (item.time.timeMs === null && item.time.timeOfDayMs === null) {
      this.emit(this.unexplained(item, null, 'unexplained: the record carries no time, so it cannot be matched with Envoy events'));
      return;
    }
    const timeMs = this.timeOf(item);
    if (timeMs === null) {
      this.undated.push(item);
      if (this.undated.length >= MAX_UNDATED_RESETS) this.giveUpOnUndated();
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
    this.droppedEvents += this.events.capAt(MAX_WINDOW_EVENTS);
    if (++this.sinceEviction >= 10_000) {
      this.sinceEviction = 0;
      this.connections.evictIdle(timeMs - Math.max(CONNECTION_IDLE_MS, 2 * windowMs));
    }
  }

  private decideDue(cutoffMs: number): void {
    for (const p of this.pending.takeDue(cutoffMs)) this.emit(this.decide(p));
  }

  private decideEarly(): void {
    const early = this.pending.takeDue(-Infinity, MAX_PENDING_RESETS);
    this.decidedEarly += early.length;
    for (const p of early) this.emit(this.decide(p));
  }

  /** Reports the `HH:mm:ss` resets waiting for a date as undatable. */
  private giveUpOnUndated(): void {
    for (const item of this.undated) this.emit(this.unexplained(item, null, NO_DATE));
    this.undated = [];
  }

  /** Decides every reset still open (end of input). */
  finish(): void {
    this.giveUpOnUndated();
    this.decideDue(Infinity);
    if (this.decidedEarly > 0) {
      this.warnings.push(`${this.decidedEarly} resets were decided before the window after them had passed because more than ${MAX_PENDING_RESETS} were waiting at once; narrow the window or the input.`);
    }
    if (this.droppedEvents > 0) {
      this.warnings.push(`${this.droppedEvents} Envoy events were dropped because more than ${MAX_WINDOW_EVENTS} fell within one window; narrow the window or the input.`);
    }
    this.reports.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || a.file.localeCompare(b.file) || a.line - b.line);
  }

  private emit(report: ResetReport): void {
    if (this.options.onReport) this.options.onReport(report);
    else this.reports.push(report);
  }

  private unexplained(item: ResetItem, timeMs: number | null, explanation: string): ResetReport {
    return {
      file: item.file,
      line: item.line,
      time: timeMs === null ? null : toIsoUtc(timeMs),
      pod: item.pod,
      exception: item.exception,
      cause: 'unexplained',
      confidence: 0,
      explanation,
      matches: [],
      connectTimeoutSeconds: null,
      cluster: null,
    };
  }

  private decide({ item, timeMs }: PendingReset): ResetReport {
    const { windowMs } = this.options;
    let anchor: StoredEvent | null = null;
    let bestScore = -Infinity;
    let nearby = 0;
    for (const stored of this.events.between(timeMs - windowMs, timeMs + windowMs)) {
      if (!podsCompatible(item.pod, stored.item.pod)) continue;
      nearby++;
      const weight = anchorWeight(stored);
      if (weight === 0) continue;
      const lead = timeMs - stored.item.event.endMs;
      // An Envoy failure normally precedes the reset the application sees; one after it fits less well.
      const score = weight - (lead >= 0 ? lead : -2 * lead) / windowMs;
      if (score > bestScore) {
        bestScore = score;
        anchor = stored;
      }
    }
    if (!anchor) return this.unexplained(item, timeMs, explainUnmatched(windowMs / 1000, item.pod !== null, nearby));
    return this.verdict(item, timeMs, anchor);
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
      if (failureFlags(stored).length > 0) return stored;
    }
    return null;
  }

  private timeoutFor(cluster: string | null): number | null {
    if (cluster === null) return null;
    return this.options.knownConnectTimeouts.get(cluster) ?? this.inference.timeoutSeconds(cluster);
  }

  private verdict(item: ResetItem, timeMs: number, anchor: StoredEvent): ResetReport {
    const chain = this.chainEvents(anchor);
    const cluster = anchor.item.event.cluster ?? chain.map((s) => s.item.event.cluster ?? s.connection?.cluster ?? null).find((c) => c !== null) ?? null;
    const fromDebug = anchor.item.event.kind !== 'access-log';
    const access = fromDebug ? this.accessLogFor(anchor, cluster) : null;
    const matched = access ? [...chain, access] : chain;
    const address = chain.map((s) => s.connection?.address ?? s.item.event.address).find((a) => a) ?? null;
    const timeout = this.timeoutFor(cluster);
    let cause: ResetCause;
    let connectTimeoutSeconds = timeout;
    let confidence = fromDebug ? 0.8 : 0.7;
    const flags = failureFlags(anchor);
    const timeoutEvent = chain.find((s) => s.item.event.kind === 'connect-timeout');
    if (timeoutEvent) {
      cause = 'connect-timeout';
      const upstream = chain.find((s) => s.item.event.kind === 'connect-timeout' && s.connection?.connectingMs != null);
      if (connectTimeoutSeconds === null && upstream) {
        connectTimeoutSeconds = Math.round((upstream.item.event.timeMs - upstream.connection!.connectingMs!) / 10) / 100;
      }
    } else if (!fromDebug && flags.includes('UF')) {
      const duration = anchor.item.event.durationMs;
      const fitsTimeout = timeout !== null && duration !== null && Math.abs(duration - timeout * 1000) <= Math.max(20, timeout * 20);
      cause = fitsTimeout ? 'connect-timeout' : 'upstream-connect-failure';
      if (fitsTimeout) confidence = 0.75;
    } else {
      const kind = effectiveKind(anchor);
      if (kind === 'connect-failure' || flags.includes('UH')) cause = 'upstream-connect-failure';
      else if (kind === 'downstream-closed' || (flags.includes('DC') && flags.length === 1)) cause = 'downstream-closed';
      else cause = 'upstream-reset';
    }
    if (fromDebug && access) confidence += 0.1;
    if (item.pod !== null && anchor.item.pod === item.pod) confidence += 0.05;
    const lead = timeMs - anchor.item.event.endMs;
    if (Math.abs(lead) > 1000) confidence -= 0.15;
    else if (Math.abs(lead) > SAME_MOMENT_MS) confidence -= 0.05;
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
    const evidence = flags.length > 0 ? `response flags ${anchor.item.event.flags.join(',')}` : `\`${effectiveKind(anchor)}\` on [C${anchor.item.event.connectionId ?? '?'}]`;
    return {
      file: item.file,
      line: item.line,
      time: toIsoUtc(timeMs),
      pod: item.pod,
      exception: item.exception,
      cause,
      confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
      explanation: explainVerdict({ cause, cluster, address, connectionId: anchor.item.event.connectionId, connectTimeoutSeconds, leadMs: lead, evidence }),
      matches,
      connectTimeoutSeconds,
      cluster,
    };
  }
}
