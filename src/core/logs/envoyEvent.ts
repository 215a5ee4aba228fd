/**
 * Turns an Envoy log line (application log or access log) into the event the correlator reasons
 * about: which step of a connection's life it records, on which connection and cluster.
 */

import type { EnvoyLineKind, ResetCause } from '../correlate/types';
import { parseEnvoyAccessLog } from './accessLog';
import { parseAgentLogLine, parseEnvoyLogLine } from './envoyLine';
import { causeOfAccessLog, causeOfFailureText } from './failureText';

export interface EnvoyEvent {
  readonly kind: EnvoyLineKind;
  /** When the line was written (for access logs: the request's start). */
  readonly timeMs: number;
  /** When the connection ended, for access logs (start + duration); otherwise `timeMs`. */
  readonly endMs: number;
  readonly connectionId: string | null;
  readonly cluster: string | null;
  /** Upstream address, from `connecting to ADDR` or the access log's upstream host. */
  readonly address: string | null;
  readonly thread: string | null;
  /** For `closing` lines: who closed (`remote close` / `local close`). */
  readonly closedBy: 'remote' | 'local' | null;
  readonly durationMs: number | null;
  readonly flags: readonly string[];
  readonly details: string | null;
  /** The cause this line is evidence for on its own, or null (an ordinary step or success). */
  readonly cause: ResetCause | null;
  /** Access logs: the request's authority, the address the application called and its own address. */
  readonly authority: string | null;
  readonly downstreamLocal: string | null;
  readonly downstreamRemote: string | null;
  readonly responseCode: number | null;
}

const CREATING = /^Creating connection to cluster (\S+)/;
const ROUTE_MATCH = /^cluster '([^']+)' match for URL/;
const CONNECTING_TO = /^connecting to (\S+)/;
const LOCAL_REPLY = /^(?:Sending|Preparing) local reply with details (\S+)/;
const CONNECT_FAILURE = /delayed connect(?:ion)? error|connect failure|connection failure|upstream connect error or disconnect\/reset before headers/;
const UPSTREAM_RESET = /^upstream reset|^(?:\w+ )*stream reset|reset reason:? (?:connection termination|remote reset)/;
const SHUTDOWN = /^caught (?:ENVOY_)?SIG(?:TERM|INT|KILL)|^shutting down server instance|^main dispatch loop exited|^exiting$|^Envoy exited|^draining listeners|^closing and draining listeners/;
/** pilot-agent's words for draining or stopping the sidecar. */
const AGENT_SHUTDOWN = /Agent draining|draining Proxy|Graceful termination|Aborting proxy|Envoy aborted|Aborted proxy|Envoy exited|envoy process terminated|terminating remaining proxies|Agent has successfully terminated|received exit signal|Exiting due to/;

interface Classified {
  readonly kind: EnvoyLineKind;
  readonly cluster?: string;
  readonly address?: string;
  readonly closedBy?: 'remote' | 'local';
  readonly cause?: ResetCause | null;
  readonly details?: string;
}

function failure(kind: EnvoyLineKind, message: string, fallback: ResetCause): Classified {
  return { kind, cause: causeOfFailureText(message) ?? fallback };
}

/** Classifies an Envoy log message (after the connection id); null for messages the correlator ignores. */
export function classifyEnvoyMessage(message: string, logger = ''): Classified | null {
  // Envoy's own xDS stream to istiod failing is no failure of the application's traffic.
  if (logger === 'config' || message.includes('StreamAggregatedResources') || message.includes('xds-grpc')) return null;
  const c = message.charCodeAt(0);
  if (c === 67 /* C */) {
    const m = CREATING.exec(message);
    if (m) return { kind: 'creating-connection', cluster: m[1]! };
  }
  if (c === 99 /* c */) {
    const m = ROUTE_MATCH.exec(message);
    if (m) return { kind: 'creating-connection', cluster: m[1]! };
  }
  if (message.startsWith('connect')) {
    if (message === 'connecting' || message.startsWith('connecting ') && !message.startsWith('connecting to')) return { kind: 'connecting' };
    const to = CONNECTING_TO.exec(message);
    if (to) return { kind: 'connecting', address: to[1]! };
    if (message.startsWith('connection in progress')) return { kind: 'connection-in-progress' };
    if (message.startsWith('connect timeout')) return { kind: 'connect-timeout', cause: 'connect-timeout' };
  }
  if (message.startsWith('remote close')) return { kind: 'closing', closedBy: 'remote' };
  if (message.startsWith('local close')) return { kind: 'closing', closedBy: 'local' };
  if (message.startsWith('closing ')) return { kind: 'closing' };
  if (message.startsWith('using existing')) return { kind: 'connection-reused' };
  if (message.includes('TLS_error') || message.includes('TLS error')) return { kind: 'tls-failure', cause: 'tls-failure' };
  const reply = LOCAL_REPLY.exec(message);
  if (reply) {
    const details = reply[1]!;
    const cause = details.startsWith('http1.') || details.startsWith('http2.') || details.includes('codec_error') ? 'downstream-closed' : causeOfFailureText(details);
    return { kind: 'local-reply', cause, details };
  }
  if (message.startsWith('no healthy host')) return { kind: 'no-healthy-upstream', cause: 'no-healthy-upstream' };
  if (message.startsWith('idle timeout') || message.startsWith('Session timed out') || message.startsWith('stream idle timeout')) return { kind: 'idle-timeout', cause: 'idle-timeout' };
  if (/^max (?:connection|stream) duration|^drain sequence started|^sent goaway|^Sending GOAWAY/.test(message)) return { kind: 'max-duration', cause: 'max-duration' };
  if (message.startsWith('dispatch error')) return { kind: 'downstream-closed', cause: 'downstream-closed' };
  if (SHUTDOWN.test(message)) return { kind: 'proxy-shutdown', cause: 'proxy-shutdown' };
  if (message.startsWith('client disconnected, failure reason: ')) {
    const reason = message.slice('client disconnected, failure reason: '.length).trim();
    return reason === '' ? null : failure('connect-failure', reason, 'upstream-connect-failure');
  }
  if (UPSTREAM_RESET.test(message)) return failure('upstream-reset', message, 'upstream-reset');
  if (CONNECT_FAILURE.test(message)) return failure('connect-failure', message, 'upstream-connect-failure');
  return null;
}

/** How fast a request on a fresh connection cannot fail: connecting alone takes longer. */
const RACE_MAX_DURATION_MS = 5;

/**
 * The keep-alive race as an access-log line alone shows it: `UC` with
 * `upstream_reset_before_response_started{connection_termination}` within a few milliseconds.
 * Only a pooled connection that the upstream had already closed (its keep-alive or idle timeout
 * shorter than Envoy's) fails that fast; a new connection would first have to be set up.
 */
export function isKeepAliveRace(event: EnvoyEvent): boolean {
  return event.kind === 'access-log' && event.flags.includes('UC') && event.durationMs !== null && event.durationMs <= RACE_MAX_DURATION_MS && (event.details?.startsWith('upstream_reset_before_response_started') ?? false) && event.details!.includes('connection_termination');
}

const NO_ACCESS_FIELDS = { authority: null, downstreamLocal: null, downstreamRemote: null, responseCode: null } as const;

/**
 * Parses any Envoy line: null when the line is not Envoy's, `'ignored'` when it is but records
 * nothing the correlator uses (so callers do not mistake it for an application line). pilot-agent's
 * lines count as the proxy's: its drain and exit lines are events, the rest is ignored.
 */
export function parseEnvoyEvent(body: string): EnvoyEvent | 'ignored' | null {
  const record = parseEnvoyLogLine(body);
  if (record) {
    const classified = classifyEnvoyMessage(record.message, record.logger);
    if (!classified) return 'ignored';
    return {
      kind: classified.kind,
      timeMs: record.timeMs,
      endMs: record.timeMs,
      connectionId: record.connectionId,
      cluster: classified.cluster ?? null,
      address: classified.address ?? null,
      thread: record.thread,
      closedBy: classified.closedBy ?? null,
      durationMs: null,
      flags: [],
      details: classified.details ?? null,
      cause: classified.cause ?? null,
      ...NO_ACCESS_FIELDS,
    };
  }
  const access = parseEnvoyAccessLog(body);
  if (access) {
    return {
      kind: 'access-log',
      timeMs: access.startMs,
      endMs: access.startMs + (access.durationMs ?? 0),
      connectionId: null,
      cluster: access.cluster,
      address: access.upstreamHost,
      thread: null,
      closedBy: null,
      durationMs: access.durationMs,
      flags: access.flags,
      details: access.details,
      cause: causeOfAccessLog(access.flags, access.responseCode, access.details, access.failureReason, access.terminationDetails, access.cluster),
      authority: access.authority,
      downstreamLocal: access.downstreamLocal,
      downstreamRemote: access.downstreamRemote,
      responseCode: access.responseCode,
    };
  }
  const agent = parseAgentLogLine(body);
  if (!agent) return null;
  if (!AGENT_SHUTDOWN.test(agent.message)) return 'ignored';
  return {
    kind: 'proxy-shutdown',
    timeMs: agent.timeMs,
    endMs: agent.timeMs,
    connectionId: null,
    cluster: null,
    address: null,
    thread: null,
    closedBy: null,
    durationMs: null,
    flags: [],
    details: null,
    cause: 'proxy-shutdown',
    ...NO_ACCESS_FIELDS,
  };
}
