/**
 * What Envoy's own words for a failure say about its cause. The same words appear in Envoy's
 * debug lines (`upstream reset: reset reason: connection timeout`), in access-log fields
 * (`upstream_reset_before_response_started{connection_timeout}`, a transport failure reason) and
 * in the bodies Envoy answers with, which applications log (`503 ... reset reason: overflow`).
 */

import type { ResetCause } from '../correlate/types';

/** Ordered: the first rule that matches decides (a TLS error inside a connection failure is a TLS failure). */
const RULES: readonly [RegExp, ResetCause][] = [
  [/tls[_ ]error|wrong_version_number|certificate_verify_failed|ssl routines|ssl_routines|handshake fail|tls_error|filter_chain_not_found|no_filter_chain|tls handshake/i, 'tls-failure'],
  [/delayed[_ ]connect(?:ion)?[_ ]error:?[_ ]111|connection refused|econnrefused|remote[_ ]connection[_ ]failure/i, 'connection-refused'],
  [/connection[_ ]timeout|connect timeout/i, 'connect-timeout'],
  [/overflow|x-envoy-overloaded|upstream_reset_before_response_started\{overflow|pending.?request.?overflow|overload/i, 'circuit-breaker'],
  [/no[_ ]healthy[_ ]upstream|no healthy host|no_healthy_host/i, 'no-healthy-upstream'],
  [/route_not_found|cluster_not_found|no cluster match|blackholecluster/i, 'no-route'],
  [/max[_ ]connection[_ ]duration|max[_ ]stream[_ ]duration|goaway|drain sequence/i, 'max-duration'],
  [/idle[_ ]timeout|session timed out|stream_idle_timeout/i, 'idle-timeout'],
  [/remote[_ ]reset|protocol[_ ]error|remote_refused_stream_reset|refused[_ ]stream/i, 'upstream-reset'],
  // The upstream closed the connection; on a reused connection that is the keep-alive race (see the engine).
  [/connection[_ ]termination/i, 'upstream-reset'],
  [/connection[_ ]failure|connect[_ ]failure|delayed[_ ]connect(?:ion)?[_ ]error/i, 'upstream-connect-failure'],
];

/** The cause Envoy's failure text names, or null when it names none. */
export function causeOfFailureText(text: string): ResetCause | null {
  for (const [pattern, cause] of RULES) if (pattern.test(text)) return cause;
  return null;
}

/**
 * The cause one response flag stands for, as Envoy documents the flags; null for flags that are
 * no connection failure (retries, fault injection, rate limits, authorization).
 */
const FLAG_CAUSES: Readonly<Record<string, ResetCause | null>> = {
  UH: 'no-healthy-upstream',
  LH: 'no-healthy-upstream',
  DF: 'no-healthy-upstream',
  UF: 'upstream-connect-failure',
  UO: 'circuit-breaker',
  OM: 'circuit-breaker',
  NR: 'no-route',
  NC: 'no-route',
  NFCF: 'tls-failure',
  URX: null,
  UC: 'upstream-reset',
  UR: 'upstream-reset',
  UPE: 'upstream-reset',
  UT: 'max-duration',
  DT: 'max-duration',
  UMSDR: 'max-duration',
  SI: 'idle-timeout',
  DC: 'downstream-closed',
  DPE: 'downstream-closed',
  IH: 'downstream-closed',
  LR: 'upstream-reset',
  DI: null,
  FI: null,
  RL: null,
  RLSE: null,
  UAEX: null,
};

/** The cause one response flag stands for (`UF` → upstream-connect-failure); null for other flags and unknown tokens. */
export function causeOfResponseFlag(flag: string): ResetCause | null {
  return Object.prototype.hasOwnProperty.call(FLAG_CAUSES, flag) ? FLAG_CAUSES[flag] : null;
}

/** Every flag Envoy writes, so an unknown token in the flags column is not taken for one. */
export function isResponseFlag(flag: string): boolean {
  return flag in FLAG_CAUSES || flag === 'DO' || flag === 'DR';
}

/**
 * What an access-log line's flags and details say. Details and the transport failure reason are
 * more specific than the flags (`UF` with `{connection_timeout}` is a connect timeout), and a
 * BlackHoleCluster destination is a missing route whatever the flags.
 */
export function causeOfAccessLog(flags: readonly string[], responseCode: number | null, details: string | null, failureReason: string | null, terminationDetails: string | null, cluster: string | null): ResetCause | null {
  if (cluster === 'BlackHoleCluster' || (details === 'direct_response' && responseCode === 502)) return 'no-route';
  const fromFlags = flags.map(causeOfResponseFlag).find((c) => c !== null) ?? null;
  if (fromFlags === null && flags.length === 0 && !details?.startsWith('upstream_reset')) {
    return details === 'filter_chain_not_found' ? 'tls-failure' : null;
  }
  const specific = [details, failureReason, terminationDetails].map((t) => (t ? causeOfFailureText(t) : null)).find((c) => c !== null) ?? null;
  if (fromFlags === 'downstream-closed') return 'downstream-closed';
  if (specific !== null && specific !== 'upstream-connect-failure') return specific;
  return fromFlags ?? specific;
}
