import type { ClusterDirection } from './types';

export interface IstioClusterName {
  readonly direction: ClusterDirection;
  readonly port: number | null;
  readonly subset: string | null;
  readonly host: string | null;
}

/**
 * Reads Istio's cluster naming scheme `direction|port|subset|host`. Only the exact `outbound|`
 * and `inbound|` prefixes count as directions; `inbound-vip|...`, `BlackHoleCluster`,
 * `xds-grpc` and the like are `other`, and keep a host only if they carry one.
 */
export function parseClusterName(name: string): IstioClusterName {
  const parts = name.split('|');
  if (parts.length !== 4) return { direction: 'other', port: null, subset: null, host: null };
  const direction: ClusterDirection = parts[0] === 'outbound' ? 'outbound' : parts[0] === 'inbound' ? 'inbound' : 'other';
  const port = /^\d+$/.test(parts[1]) ? Number(parts[1]) : null;
  return { direction, port, subset: parts[2] || null, host: parts[3] || null };
}
