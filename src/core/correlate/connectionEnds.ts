/**
 * Where each application connection last ended, by the application's own address
 * (`downstream_remote_address`): an Envoy-initiated close (idle timeout, maximum duration) fails on
 * the connection's next use, which may come minutes later, and this is what links the two.
 *
 * A busy client opens a connection per ephemeral port, so this holds tens of thousands of entries:
 * each is kept small. Only a line with a cause of its own keeps the whole event (its text is
 * evidence); an address is held as a number where it is IPv4 (a substring of the log line would keep
 * the whole line alive), in a ring of typed arrays (RecentIpv4Ends); pods as their ids or interned names
 * (PodIds) for the same reason.
 */

import type { StoredEvent } from './eventWindow';
import { RecentMap } from './recentMap';
import { RecentIpv4Ends } from './ipv4Ends';
import { addressKey } from '../logs/addressKey';
import type { PodIds } from './podIds';

export interface ConnectionEnd {
  readonly endMs: number;
  readonly pod: string | null;
  /** The access-log line, when it records a failure; a successful one is only its end. */
  readonly failed: StoredEvent | null;
}

/** The ends of the last 50,000 IPv4 connections are remembered, and of 25,000 to 50,000 other addresses. */
const MAX_REMEMBERED_CONNECTIONS = 50_000;

export class ConnectionEnds {
  private readonly ipv4 = new RecentIpv4Ends(MAX_REMEMBERED_CONNECTIONS);
  private readonly others = new RecentMap<string, ConnectionEnd>(MAX_REMEMBERED_CONNECTIONS);

  constructor(private readonly pods: PodIds) {}

  /**
   * Records how the connection from `address` (as addressKey gives it) ended: `failed`, its
   * access-log line, when that line records a failure. `podId`: the pod's id from the engine's
   * PodIds, which the engine has already looked up for the line.
   */
  record(address: number | string, endMs: number, pod: string | null, podId: number, failed: StoredEvent | null): void {
    if (typeof address === 'number') this.ipv4.set(address, endMs, podId, failed);
    // The one string PodIds keeps for the pod; a pod past its bound (id -1) keeps its own.
    else this.others.set(address, { endMs, pod: podId >= 0 ? this.pods.nameOf(podId) : pod, failed });
  }

  /** How the connection from `address` last ended, when it is remembered. */
  lastEnd(address: string): ConnectionEnd | undefined {
    const key = addressKey(address);
    if (typeof key !== 'number') return this.others.get(key);
    const end = this.ipv4.get(key);
    return end && { endMs: end.endMs, pod: this.pods.nameOf(end.podId), failed: end.failed };
  }
}
