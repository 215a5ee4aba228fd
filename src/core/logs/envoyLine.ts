/**
 * Parses one line of Envoy's application (debug) log in every layout Istio sidecars have written:
 *  - upstream Envoy: `[2021-02-10 13:33:36.447][14][debug][pool] [source/...cc:519] [C1] msg`
 *    (2018 builds drop the `[` before the source path);
 *  - Istio < 1.6: the same behind `[Envoy (Epoch 0)] `;
 *  - Istio 1.6–1.16: `2021-02-10T13:33:36.447Z\tdebug\tenvoy pool\t[C56] msg` (optionally `[path:line] ` first);
 *  - Istio 1.17+: `...Z\tdebug\tenvoy pool path.cc:153\t[C56] msg\tthread=25`;
 *  - Istio JSON: `{"level":"debug","time":"...","scope":"envoy pool","msg":"[C56] msg"}`.
 */

import { parseJsonObject } from './jsonObject';
import { parseDateTimeMs } from './time';

export interface EnvoyLogRecord {
  readonly timeMs: number;
  readonly level: string;
  /** Envoy logger name, e.g. `pool`, `connection`, `filter`. */
  readonly logger: string;
  readonly thread: string | null;
  /** `332` for `[C332]` or `[Tags: "ConnectionId":"332"]`. */
  readonly connectionId: string | null;
  /** The message after the connection id. */
  readonly message: string;
}

// Istio < 1.6 puts `[Envoy (Epoch N)] ` first: matched in place rather than cut off, which would copy the line.
const BRACKETED =
  /^(?:\[Envoy \(Epoch \d+\)\] )?\[(\d{4}-\d\d-\d\d[ T][\d:.]+)\]\[(\d+)\]\[(\w+)\]\[(\w+)\] \[?[^\]\s]+:\d+\] ?(.*)$/;
// Tabs may have been flattened to runs of spaces (a log pasted from a web page), or a space turned
// into a tab: any whitespace separates, the source location included.
const ISTIO_TEXT =
  /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\s+(\w+)\s+envoy (\w+)(?:\s+[^\s\[]+\.(?:cc|h|cpp):\d+)?\s+(?:\[[^\]\s]+:\d+\] )?(.*?)(?:\s+thread=(\d+))?\s*$/;
/** pilot-agent's own lines: `TIME\tinfo\tmessage` or `TIME\twarn\txdsproxy\tmessage`, lowercase levels. */
const AGENT_TEXT = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\s+(debug|info|warn|warning|error|fatal|critical)\s+(.*)$/;

export interface AgentLogRecord {
  readonly timeMs: number;
  readonly level: string;
  /** The message, with the scope (e.g. `xdsproxy`) in front when it has one. */
  readonly message: string;
}

/** A pilot-agent line of the istio-proxy container (not Envoy's), or null. */
export function parseAgentLogLine(body: string): AgentLogRecord | null {
  const first = body.charCodeAt(0);
  if (first < 48 || first > 57) return null;
  const m = AGENT_TEXT.exec(body);
  if (!m || m[3]!.startsWith('envoy ')) return null;
  const timeMs = parseDateTimeMs(m[1]!);
  return timeMs === null ? null : { timeMs, level: m[2]!, message: m[3]! };
}
const CONNECTION_ID = /^\[C(\d+)\](?:\[S\d+\])? ?/;
const TAGS = /^\[Tags: ([^\]]*)\] ?/;
const TAG_CONNECTION_ID = /"ConnectionId":"?(\d+)/;

function splitConnectionId(message: string): { connectionId: string | null; message: string } {
  if (message.charCodeAt(0) !== 91 /* [ */) return { connectionId: null, message };
  const c = CONNECTION_ID.exec(message);
  if (c) return { connectionId: c[1]!, message: message.slice(c[0].length) };
  const t = TAGS.exec(message);
  if (t) return { connectionId: TAG_CONNECTION_ID.exec(t[1]!)?.[1] ?? null, message: message.slice(t[0].length) };
  return { connectionId: null, message };
}

function fromParts(time: string, level: string, logger: string, thread: string | null, rest: string): EnvoyLogRecord | null {
  const timeMs = parseDateTimeMs(time);
  if (timeMs === null) return null;
  const { connectionId, message } = splitConnectionId(rest);
  // Fields listed, not spread: every record then has one shape, which keeps the hot path fast.
  return { timeMs, level, logger, thread, connectionId, message };
}

function parseJsonEnvoyLine(body: string): EnvoyLogRecord | null {
  const o = parseJsonObject(body);
  if (!o) return null;
  const scope = typeof o.scope === 'string' ? o.scope : '';
  if (!scope.startsWith('envoy') || typeof o.time !== 'string' || typeof o.msg !== 'string') return null;
  const thread = typeof o.thread === 'string' || typeof o.thread === 'number' ? String(o.thread) : null;
  return fromParts(o.time, String(o.level ?? ''), scope.slice(6) || 'misc', thread, o.msg);
}

/** Returns null for anything that is not an Envoy application-log line (including access logs). */
export function parseEnvoyLogLine(body: string): EnvoyLogRecord | null {
  const first = body.charCodeAt(0);
  if (first === 91 /* [ */) {
    const m = BRACKETED.exec(body);
    return m ? fromParts(m[1]!, m[3]!, m[4]!, m[2]!, m[5]!) : null;
  }
  if (first === 123 /* { */) return body.includes('"scope"') ? parseJsonEnvoyLine(body) : null;
  if (first >= 48 && first <= 57 && (body.includes('\tenvoy ') || / {2,}envoy |Z\s+\w+\s+envoy /.test(body))) {
    const m = ISTIO_TEXT.exec(body);
    return m ? fromParts(m[1]!, m[2]!, m[3]!, m[5] ?? null, m[4]!) : null;
  }
  return null;
}
