import { IDENTITY_CLUSTER, IDENTITY_HOST } from '../envoy/clusters';
import { type EnvoyLogEvent } from './envoyLayout';

/**
 * The failing calls of the incident: every `periodMs` the app opens a TLS connection to the
 * identity provider through its sidecar; Envoy's 1s connect timeout fires, Envoy closes the
 * downstream connection and the app sees `Connection reset`. Call k starts at
 * `firstMs + k * periodMs`; everything about it is a function of k, so tests can predict it.
 */
export interface IdentityCallSchedule {
  readonly firstMs: number;
  readonly periodMs: number;
  /** Envoy's connect timeout for the cluster, in ms (1000 in the incident). */
  readonly timeoutMs: number;
  /** Connection id of call 0's downstream connection; the upstream one is the next id. */
  readonly firstConnectionId: number;
  /** Counter values before call 0, so counters look like a proxy that has been up a while. */
  readonly priorTimeouts: number;
  /** No failing call starts at or after this: a fixed connect timeout reached the proxy (see PodRuntime). */
  stopAtMs?: number;
}

/** The identity provider accepts a connection after this long: a connect timeout below it fails every call. */
export const IDENTITY_ACCEPT_MS = 1200;

export function callStart(s: IdentityCallSchedule, k: number): number {
  return s.firstMs + k * s.periodMs;
}

/** Calls started at or before `nowMs`. */
export function callsStarted(s: IdentityCallSchedule, nowMs: number): number {
  const until = s.stopAtMs === undefined ? nowMs : Math.min(nowMs, s.stopAtMs - 1);
  return until < s.firstMs ? 0 : Math.floor((until - s.firstMs) / s.periodMs) + 1;
}

/** Calls whose connect timeout fired at or before `nowMs`. */
export function callsTimedOut(s: IdentityCallSchedule, nowMs: number): number {
  return callsStarted(s, nowMs - s.timeoutMs);
}

export function connectionIds(s: IdentityCallSchedule, k: number): { downstream: number; upstream: number } {
  const downstream = s.firstConnectionId + 2 * k;
  return { downstream, upstream: downstream + 1 };
}

/** Where a line of call k goes: Envoy's own log (level-gated), its access log, or the app. */
export type CallEmission =
  | { readonly atMs: number; readonly kind: 'envoy'; readonly event: EnvoyLogEvent }
  | { readonly atMs: number; readonly kind: 'access'; readonly durationMs: number; readonly startMs: number; readonly http?: boolean }
  | { readonly atMs: number; readonly kind: 'appReset' }
  /** An access-log line already formatted (the causes scenario's own formats). */
  | { readonly atMs: number; readonly kind: 'accessText'; readonly text: string }
  /** A pilot-agent line (written at every Envoy level). */
  | { readonly atMs: number; readonly kind: 'agent'; readonly level: string; readonly message: string }
  /** Lines of the app's own log. */
  | { readonly atMs: number; readonly kind: 'app'; readonly lines: readonly string[] };

/** Envoy source files as Istio 1.17+ lines name them. */
export const SRC = {
  tcpProxy: 'external/envoy/source/common/tcp_proxy/tcp_proxy.cc',
  pool: 'external/envoy/source/common/conn_pool/conn_pool_base.cc',
  connection: 'external/envoy/source/common/network/connection_impl.cc',
  handler: 'external/envoy/source/server/active_tcp_listener.cc',
  router: 'external/envoy/source/common/router/router.cc',
  http: 'external/envoy/source/common/http/filter_manager.cc',
  httpPool: 'external/envoy/source/common/http/conn_pool_base.cc',
};

/** The HTTP stream id of call k (Envoy's are large random numbers; here a function of k). */
export function streamIdOf(s: IdentityCallSchedule, k: number): number {
  return 5_742_364 + s.firstConnectionId * 1000 + k;
}

/**
 * Call k over HTTP (the app speaks plain HTTP to the sidecar, which originates TLS): the router
 * path. Envoy's router logs `upstream reset: reset reason: connection timeout` with the stream's
 * tags and answers a local 503 `upstream_reset_before_response_started{connection_timeout}`
 * (source/common/router/router.cc, StreamInfo::ResponseCodeDetails); the access log reads
 * `503 UF,URX upstream_reset_before_response_started{connection_timeout}`.
 */
export function httpCallEmissions(s: IdentityCallSchedule, k: number): CallEmission[] {
  const t = callStart(s, k);
  const { downstream: d, upstream: u } = connectionIds(s, k);
  const stream = streamIdOf(s, k);
  const e = (offset: number, logger: string, source: string, connectionId: number | null, message: string, onStream = false): CallEmission => ({
    atMs: t + offset,
    kind: 'envoy',
    event: { level: 'debug', logger, source, connectionId, message, ...(onStream ? { streamId: stream } : {}) },
  });
  const out = s.timeoutMs;
  return [
    e(0, 'router', `${SRC.router}:514`, d, `cluster '${IDENTITY_CLUSTER}' match for URL '/oauth2/token'`, true),
    e(0, 'pool', `${SRC.pool}:83`, null, 'creating a new connection (connecting=0)'),
    e(0, 'pool', `${SRC.pool}:364`, u, 'connecting'),
    e(0, 'connection', `${SRC.connection}:698`, u, `connecting to ${IDENTITY_HOST.address}:${IDENTITY_HOST.port}`),
    e(1, 'connection', `${SRC.connection}:707`, u, 'connection in progress'),
    e(out, 'pool', `${SRC.pool}:403`, u, 'connect timeout'),
    e(out, 'connection', `${SRC.connection}:101`, u, 'closing data_to_write=0 type=1'),
    e(out + 1, 'pool', `${SRC.httpPool}:54`, u, 'client disconnected, failure reason: '),
    e(out + 1, 'router', `${SRC.router}:1277`, d, 'upstream reset: reset reason: connection timeout, transport failure reason: ', true),
    e(out + 1, 'http', `${SRC.http}:1044`, d, 'Sending local reply with details upstream_reset_before_response_started{connection_timeout}', true),
    { atMs: t + out + 1, kind: 'access', startMs: t, durationMs: out, http: true },
  ];
}

/** The lines of call k, in time order, offsets as the incident's Envoy debug log shows them. */
export function callEmissions(s: IdentityCallSchedule, k: number): CallEmission[] {
  const t = callStart(s, k);
  const { downstream: d, upstream: u } = connectionIds(s, k);
  const e = (offset: number, logger: string, source: string, connectionId: number | null, message: string): CallEmission => ({
    atMs: t + offset,
    kind: 'envoy',
    event: { level: 'debug', logger, source, connectionId, message },
  });
  const out = s.timeoutMs;
  return [
    e(0, 'filter', `${SRC.tcpProxy}:232`, d, 'new tcp proxy session'),
    e(0, 'filter', `${SRC.tcpProxy}:381`, d, `Creating connection to cluster ${IDENTITY_CLUSTER}`),
    e(0, 'pool', `${SRC.pool}:83`, null, 'creating a new connection'),
    e(0, 'pool', `${SRC.pool}:364`, u, 'connecting'),
    e(0, 'connection', `${SRC.connection}:698`, u, `connecting to ${IDENTITY_HOST.address}:${IDENTITY_HOST.port}`),
    e(1, 'connection', `${SRC.connection}:707`, u, 'connection in progress'),
    e(1, 'pool', `${SRC.pool}:109`, null, 'queueing request due to no available connections'),
    e(1, 'conn_handler', `${SRC.handler}:353`, d, 'new connection'),
    e(out, 'pool', `${SRC.pool}:403`, u, 'connect timeout'),
    e(out, 'connection', `${SRC.connection}:101`, u, 'closing data_to_write=0 type=1'),
    e(out, 'connection', `${SRC.connection}:192`, u, 'closing socket: 1'),
    e(out + 1, 'pool', `${SRC.pool}:124`, u, 'client disconnected'),
    e(out + 1, 'filter', `${SRC.tcpProxy}:484`, d, 'connect timeout'),
    e(out + 1, 'connection', `${SRC.connection}:101`, d, 'closing data_to_write=0 type=1'),
    e(out + 1, 'connection', `${SRC.connection}:192`, d, 'closing socket: 1'),
    e(out + 1, 'conn_handler', `${SRC.handler}:86`, d, 'adding to cleanup list'),
    e(out + 1, 'pool', `${SRC.pool}:238`, u, 'connection destroyed'),
    { atMs: t + out + 1, kind: 'access', startMs: t, durationMs: out },
    // The app reads the reset right after Envoy closes the downstream connection.
    { atMs: t + out + 2, kind: 'appReset' },
  ];
}
