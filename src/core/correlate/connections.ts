/**
 * Envoy connection chains per pod: a downstream connection (`Creating connection to cluster X`)
 * leads to an upstream connection (`connecting`, `connecting to ADDR`, ...) on the same worker
 * thread. Records are dropped once nothing has been logged on them for a while, so the map stays
 * bounded however long the log is.
 */

import type { EnvoyItem } from './scan';
import type { ResetCause } from './types';

export interface ConnectionRecord {
  readonly id: string;
  readonly pod: string | null;
  cluster: string | null;
  address: string | null;
  /** For an upstream connection: the downstream connection it serves. */
  downstreamId: string | null;
  upstreamIds: string[];
  connectingMs: number | null;
  /** The peer closed this connection (`remote close`), so Envoy's later `closing` lines are not its doing. */
  remoteClosed: boolean;
  /** Envoy decided to close this connection (idle timeout, maximum duration): its later `closing` lines are that. */
  closeCause: ResetCause | null;
  /** A pooled connection taken for another request (`using existing connection`). */
  reused: boolean;
  lastSeenMs: number;
  /** This connection's events in order (capped). */
  readonly events: EnvoyItem[];
}

const MAX_EVENTS_PER_CONNECTION = 24;
/** A downstream's `Creating connection` and its upstream's `connecting` are logged within this time. */
const LINK_WINDOW_MS = 1000;
/**
 * Hard bound on remembered connections, for a log that opens more in one idle period than any
 * proxy does; past it the oldest tenth are forgotten at once, so the cost stays amortised.
 */
const MAX_CONNECTIONS = 50_000;

export class ConnectionTracker {
  /**
   * Per pod, per connection id. Two map lookups are cheaper than building and hashing a combined
   * key string, and this runs for every Envoy event of a gigabyte log.
   */
  private readonly records = new Map<string | null, Map<string, ConnectionRecord>>();
  /** Per pod and thread: the downstream connection that asked for an upstream one last. */
  private readonly awaitingUpstream = new Map<string, { id: string; timeMs: number }>();
  private size = 0;

  get(pod: string | null, id: string): ConnectionRecord | undefined {
    return this.records.get(pod)?.get(id);
  }

  private getOrCreate(pod: string | null, id: string, timeMs: number): ConnectionRecord {
    let ofPod = this.records.get(pod);
    if (!ofPod) {
      ofPod = new Map();
      this.records.set(pod, ofPod);
    }
    let record = ofPod.get(id);
    if (!record) {
      record = { id, pod, cluster: null, address: null, downstreamId: null, upstreamIds: [], connectingMs: null, remoteClosed: false, closeCause: null, reused: false, lastSeenMs: timeMs, events: [] };
      ofPod.set(id, record);
      if (++this.size > MAX_CONNECTIONS) this.forgetOldest(MAX_CONNECTIONS - MAX_CONNECTIONS / 10);
    }
    return record;
  }

  /** Records an event and returns its connection (null for events without a connection id). */
  observe(item: EnvoyItem): ConnectionRecord | null {
    const { event, pod } = item;
    if (event.connectionId === null) return null;
    const record = this.getOrCreate(pod, event.connectionId, event.timeMs);
    record.lastSeenMs = Math.max(record.lastSeenMs, event.timeMs);
    if (record.events.length < MAX_EVENTS_PER_CONNECTION) record.events.push(item);
    if (event.closedBy === 'remote') record.remoteClosed = true;
    if (event.kind === 'connection-reused') record.reused = true;
    if (event.cause === 'idle-timeout' || event.cause === 'max-duration') record.closeCause = event.cause;
    const threadKey = `${pod}#${event.thread ?? ''}`;
    if (event.kind === 'creating-connection') {
      record.cluster = event.cluster ?? record.cluster;
      this.awaitingUpstream.set(threadKey, { id: record.id, timeMs: event.timeMs });
    } else if (event.kind === 'connecting') {
      if (event.address) record.address = event.address;
      if (record.connectingMs === null) {
        record.connectingMs = event.timeMs;
        this.linkToDownstream(record, threadKey, event.timeMs);
      }
    }
    return record;
  }

  private linkToDownstream(upstream: ConnectionRecord, threadKey: string, timeMs: number): void {
    const awaiting = this.awaitingUpstream.get(threadKey);
    if (!awaiting || awaiting.id === upstream.id || timeMs - awaiting.timeMs > LINK_WINDOW_MS) return;
    this.awaitingUpstream.delete(threadKey);
    const downstream = this.get(upstream.pod, awaiting.id);
    if (!downstream) return;
    upstream.downstreamId = downstream.id;
    upstream.cluster = upstream.cluster ?? downstream.cluster;
    downstream.upstreamIds.push(upstream.id);
  }

  /** The connections of the chain `record` belongs to: its downstream and that downstream's upstreams. */
  chainOf(record: ConnectionRecord): ConnectionRecord[] {
    const root = record.downstreamId ? this.get(record.pod, record.downstreamId) ?? record : record;
    const chain = [root];
    for (const id of root.upstreamIds) {
      const upstream = this.get(record.pod, id);
      if (upstream) chain.push(upstream);
    }
    if (!chain.includes(record)) chain.push(record);
    return chain;
  }

  /** Drops the first-created connections until `keep` remain (maps iterate in insertion order). */
  private forgetOldest(keep: number): void {
    for (const ofPod of this.records.values()) {
      for (const id of ofPod.keys()) {
        if (this.size <= keep) return;
        ofPod.delete(id);
        this.size--;
      }
    }
  }

  /** Drops connections idle since before `cutoffMs`. */
  evictIdle(cutoffMs: number): void {
    for (const ofPod of this.records.values()) {
      for (const [id, record] of ofPod) {
        if (record.lastSeenMs < cutoffMs && ofPod.delete(id)) this.size--;
      }
    }
    for (const [key, awaiting] of this.awaitingUpstream) {
      if (awaiting.timeMs < cutoffMs) this.awaitingUpstream.delete(key);
    }
  }
}
