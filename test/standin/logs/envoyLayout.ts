import { type IstioVersion, isAtLeast } from '../envoy/istioVersion';
import { type EnvoyLogLevel } from '../envoy/loggers';
import { type NanoTime, formatMicros, formatMillisSpaced } from './timestamps';

/**
 * How an istio-proxy container writes Envoy's own log lines. Istio changed Envoy's
 * `--log-format` over time; the pod's Istio version decides which one it uses.
 * - `epoch`: before 1.6, spdlog default `[Envoy (Epoch 0)] [%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v`
 * - `tab`: 1.6-1.16, `%Y-%m-%dT%T.%fZ\t%l\tenvoy %n\t%v` (microseconds, as the real 1.6.3 log in
 *   ../shared/fixtures/real/istio/bug-report-ingress.log; source location inside %v until 1.9)
 * - `tabSource`: 1.17+, `%Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%v\tthread=%t` (Istio's bootstrap)
 * - `json`: the proxy started with `--log_as_json`; since 1.22 Istio's JSON format adds
 *   `"caller":"%g:%#"` and `"thread":"%t"` (a string)
 */
export type EnvoyLogLayout = 'epoch' | 'tab' | 'tabSource' | 'json';

export function envoyLayoutFor(version: IstioVersion, logAsJson: boolean): EnvoyLogLayout {
  if (logAsJson) return 'json';
  if (!isAtLeast(version, 1, 6)) return 'epoch';
  if (!isAtLeast(version, 1, 17)) return 'tab';
  return 'tabSource';
}

export interface EnvoyLogEvent {
  readonly level: EnvoyLogLevel;
  readonly logger: string;
  /** Source file and line, e.g. `external/envoy/source/common/tcp/conn_pool.cc:364`. */
  readonly source: string;
  /** Connection the line is about (`[C332]`), or null. */
  readonly connectionId: number | null;
  /** HTTP stream the line is about (`[C12][S5742364]`, or a `"StreamId"` tag), if any. */
  readonly streamId?: number;
  readonly message: string;
}

export interface EnvoyLineStyle {
  readonly layout: EnvoyLogLayout;
  /** Envoy 1.27+ (Istio 1.19+) tags connection lines `[Tags: "ConnectionId":"332"]`. */
  readonly connectionTags: boolean;
  /** Before Istio 1.10 Envoy put `[file:line]` at the front of the message itself. */
  readonly sourceInMessage: boolean;
  /** Istio 1.22+ JSON lines carry `caller` and `thread`. */
  readonly jsonCaller: boolean;
  readonly thread: number;
}

export function envoyLineStyle(version: IstioVersion, logAsJson: boolean, thread: number): EnvoyLineStyle {
  return {
    layout: envoyLayoutFor(version, logAsJson),
    connectionTags: isAtLeast(version, 1, 19),
    sourceInMessage: !isAtLeast(version, 1, 10),
    jsonCaller: isAtLeast(version, 1, 22),
    thread,
  };
}

export function formatEnvoyLine(style: EnvoyLineStyle, time: NanoTime, e: EnvoyLogEvent): string {
  const id = e.connectionId;
  const stream = e.streamId;
  const tags = stream === undefined ? `"ConnectionId":"${id}"` : `"ConnectionId":"${id}","StreamId":"${stream}"`;
  const brackets = stream === undefined ? `[C${id}]` : `[C${id}][S${stream}]`;
  const body = id === null ? e.message : style.connectionTags ? `[Tags: ${tags}] ${e.message}` : `${brackets} ${e.message}`;
  switch (style.layout) {
    case 'epoch':
      return `[Envoy (Epoch 0)] [${formatMillisSpaced(time)}][${style.thread}][${e.level}][${e.logger}] [${e.source}] ${body}`;
    case 'tab':
      return `${formatMicros(time)}\t${e.level}\tenvoy ${e.logger}\t${style.sourceInMessage ? `[${e.source}] ` : ''}${body}`;
    case 'tabSource':
      return `${formatMicros(time)}\t${e.level}\tenvoy ${e.logger} ${e.source}\t${body}\tthread=${style.thread}`;
    case 'json':
      return JSON.stringify({
        level: e.level,
        time: formatMicros(time),
        scope: `envoy ${e.logger}`,
        msg: body,
        ...(style.jsonCaller ? { caller: e.source, thread: String(style.thread) } : {}),
      });
  }
}
