/**
 * Whether an Envoy event concerns the application's failing call: the same connection (the
 * application's address is the access log's downstream remote address), the same destination
 * (host, cluster, address), another one, or nothing to tell.
 */

import type { Destination } from '../appTrace/symptom';
import type { StoredEvent } from './eventWindow';
import { parseClusterName } from '../envoy/clusterName';

export type DestinationMatch = 'same-connection' | 'same-destination' | 'other' | 'unknown';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function hostOf(address: string | null): string | null {
  if (address === null) return null;
  const i = address.lastIndexOf(':');
  return (i > 0 ? address.slice(0, i) : address).toLowerCase();
}

/** `outbound|8443||ledger.finance.svc.cluster.local` names host `ledger`; inbound and static clusters name none. */
function clusterHost(cluster: string | null): string | null {
  if (cluster === null) return null;
  const name = parseClusterName(cluster);
  return name.direction === 'outbound' && name.host ? name.host.toLowerCase() : null;
}

function addHost(host: string | null, names: Set<string>, ips: Set<string>): void {
  if (host === null || host === '') return;
  if (IPV4.test(host)) ips.add(host);
  else names.add(host.split('.')[0]!);
}

export function matchDestination(app: Destination, stored: StoredEvent): DestinationMatch {
  const { event } = stored.item;
  if (app.local !== null && event.downstreamRemote !== null) {
    if (app.local === event.downstreamRemote) return 'same-connection';
    // The application's end is the address an inbound listener accepted for it (`write tcp POD:8080->127.0.0.6:N`):
    // the application is the server of this request, on the connection the sidecar opened to it.
    return app.local === event.downstreamLocal ? 'same-destination' : 'other';
  }
  if (app.names.length === 0 && app.ips.length === 0) return 'unknown';
  const names = new Set<string>();
  const ips = new Set<string>();
  addHost(clusterHost(event.cluster ?? stored.connection?.cluster ?? null), names, ips);
  addHost(hostOf(event.authority), names, ips);
  addHost(hostOf(event.address ?? stored.connection?.address ?? null), names, ips);
  addHost(hostOf(event.downstreamLocal), names, ips);
  const nameKnown = app.names.length > 0 && names.size > 0;
  const ipKnown = app.ips.length > 0 && ips.size > 0;
  if (app.names.some((n) => names.has(n)) || app.ips.some((ip) => ips.has(ip))) return 'same-destination';
  return nameKnown || ipKnown ? 'other' : 'unknown';
}
