/**
 * Turns an Envoy log line (application log or access log) into the event the correlator reasons
 * about: which step of a connection's life it records, on which connection and cluster.
 */

import type { EnvoyEventKind } from '../correlate/types';
import { parseEnvoyAccessLog } from './accessLog';
import { parseEnvoyLogLine } from './envoyLine';

export interface EnvoyEvent {
  readonly kind: EnvoyEventKind;
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
}

const CREATING = /^Creating connection to cluster (\S+)/;
const CONNECTING_TO = /^connecting to (\S+)/;
const CONNECT_FAILURE = /delayed connect error|connect failure|connection failure|upstream connect error or disconnect\/reset before headers/;
const UPSTREAM_RESET = /^upstream reset|^(?:\w+ )*stream reset|reset reason: (?:connection termination|remote reset)/;

interface Classified {
  readonly kind: EnvoyEventKind;
  readonly cluster?: string;
  readonly address?: string;
  readonly closedBy?: 'remote' | 'local';
}

/** Classifies an Envoy log message (after the connection id); null for messages the correlator ignores. */
export function classifyEnvoyMessage(message: string): Classified | null {
  const c = message.charCodeAt(0);
  if (c === 67 /* C */) {
    const m = CREATING.exec(message);
    if (m) return { kind: 'creating-connection', cluster: m[1]! };
  }
  if (message.startsWith('connect')) {
    if (message === 'connecting' || message.startsWith('connecting ') && !message.startsWith('connecting to')) return { kind: 'connecting' };
    const to = CONNECTING_TO.exec(message);
    if (to) return { kind: 'connecting', address: to[1]! };
    if (message.startsWith('connection in progress')) return { kind: 'connection-in-progress' };
    if (message.startsWith('connect timeout')) return { kind: 'connect-timeout' };
  }
  if (message.startsWith('remote close')) return { kind: 'closing', closedBy: 'remote' };
  if (message.startsWith('local close')) return { kind: 'closing', closedBy: 'local' };
  if (message.startsWith('closing ')) return { kind: 'closing' };
  if (CONNECT_FAILURE.test(message)) return { kind: 'connect-failure' };
  if (UPSTREAM_RESET.test(message)) return { kind: 'upstream-reset' };
  return null;
}

/**
 * Parses any Envoy line: null when the line is not Envoy's, `'ignored'` when it is but records
 * nothing the correlator uses (so callers do not mistake it for an application line).
 */
export function parseEnvoyEvent(body: string): EnvoyEvent | 'ignored' | null {
  const record = parseEnvoyLogLine(body);
  if (record) {
    const classified = classifyEnvoyMessage(record.message);
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
      details: null,
    };
  }
  const access = parseEnvoyAccessLog(body);
  if (!access) return null;
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
  };
}
