/**
 * Where each application connection last ended, by the application's own address
 * (`downstream_remote_address`): an Envoy-initiated close (idle timeout, maximum duration) fails on
 * the connection's next use, which may come minutes later, and this is what links the two.
 *
 * A busy client opens a connection per ephemeral port, so this holds tens of thousands of entries:
 * each is kept small. Only a line with a cause of its own keeps the whole event (its text is
 * evidence); an address is held as a number where it is IPv4 (a substring of the log line would keep
 * the whole line alive); pod names are interned for the same reason.
 */

import type { StoredEvent } from './eventWindow';
import { RecentMap } from './recentMap';

export interface ConnectionEnd {
  endMs: number;
  pod: string | null;
  /** The access-log line, when it records a failure; a successful one is only its end. */
  failed: StoredEvent | null;
}

/** The last 25,000 to 50,000 addresses are remembered. */
const MAX_REMEMBERED_CONNECTIONS = 50_000;
/**
 * `a.b.c.d:port` as one number (48 bits, exact in a double); any other address as itself. Read
 * by hand: this runs for every access-log line, and a regex with its match array cost more than
 * the rest of recording the line.
 */
export function addressKey(address: string): number | string {
  let key = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c >= 48 && c <= 57 && digits < 5) {
      part = part * 10 + (c - 48);
      digits++;
    } else if (c === 46 /* . */ && dots < 3 && digits > 0 && digits <= 3 && part <= 255) {
      key = key * 256 + part;
      dots++;
      part = 0;
      digits = 0;
    } else if (c === 58 /* : */ && dots === 3 && digits > 0 && digits <= 3 && part <= 255) {
      key = key * 256 + part;
      dots++;
      part = 0;
      digits = 0;
    } else {
      return address;
    }
  }
  return dots === 4 && digits > 0 && part <= 65535 ? key * 65536 + part : address;
}

export class ConnectionEnds {
  private readonly ends = new RecentMap<number | string, ConnectionEnd>(MAX_REMEMBERED_CONNECTIONS);
  private readonly pods = new Map<string, string>();

  /** Records an access-log line of the connection from `address`. */
  record(address: string, stored: StoredEvent): void {
    const { event, pod } = stored.item;
    const key = addressKey(address);
    const known = this.ends.get(key);
    const end = known ?? { endMs: 0, pod: null, failed: null };
    // An address seen before reuses its entry: a new one per line, kept for tens of thousands of
    // lines, was promoted and died in the old generation, which then grew the process by tens of MB.
    end.endMs = event.endMs;
    end.pod = pod === null ? null : this.intern(pod);
    end.failed = event.cause !== null ? stored : null;
    this.ends.set(key, end);
  }

  /** How the connection from `address` last ended, when it is remembered (valid until the next `record`). */
  lastEnd(address: string): ConnectionEnd | undefined {
    return this.ends.get(addressKey(address));
  }

  private intern(pod: string): string {
    let known = this.pods.get(pod);
    if (known === undefined) {
      // A pod list this long is no real input; the map must not grow with it.
      if (this.pods.size >= 10_000) return pod;
      known = pod;
      this.pods.set(pod, pod);
    }
    return known;
  }
}
