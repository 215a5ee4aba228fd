import type { ClusterDirection } from './types';

export interface IstioClusterName {
  readonly direction: ClusterDirection;
  readonly port: number | null;
  readonly subset: string | null;
  readonly host: string | null;
}

const OTHER: IstioClusterName = Object.freeze({ direction: 'other', port: null, subset: null, host: null });

function isDigits(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Reads Istio's cluster naming scheme `direction|port|subset|host`. Only the exact `outbound|`
 * and `inbound|` prefixes count as directions; `inbound-vip|...`, `BlackHoleCluster`,
 * `xds-grpc` and the like are `other`, and keep a host only if they carry one.
 * Runs once per row of a pod's (possibly thousands of) clusters, so it finds the pipes by index
 * instead of splitting: only the parts a row keeps become strings.
 */
export function parseClusterName(name: string): IstioClusterName {
  const first = name.indexOf('|');
  const second = first === -1 ? -1 : name.indexOf('|', first + 1);
  const third = second === -1 ? -1 : name.indexOf('|', second + 1);
  if (third === -1 || name.indexOf('|', third + 1) !== -1) return OTHER;
  const direction: ClusterDirection = first === 8 && name.startsWith('outbound') ? 'outbound' : first === 7 && name.startsWith('inbound') ? 'inbound' : 'other';
  return {
    direction,
    port: isDigits(name, first + 1, second) ? Number(name.slice(first + 1, second)) : null,
    subset: third > second + 1 ? name.slice(second + 1, third) : null,
    host: third + 1 < name.length ? name.slice(third + 1) : null,
  };
}
