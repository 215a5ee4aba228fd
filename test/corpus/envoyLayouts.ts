/**
 * Writes Envoy lines in each layout real sidecars use, for the labelled corpus and the benchmark.
 * Formats follow Envoy's and Istio's log-format strings (see the parsers in src/core/logs).
 */

export type EnvoyLayout = 'upstream' | 'upstream-2018' | 'istio-1.5' | 'istio-1.6' | 'istio-1.17' | 'istio-1.17-tags' | 'json';
export type AccessLayout = 'text-tcp' | 'text-http' | 'json';

export const ENVOY_LAYOUTS: readonly EnvoyLayout[] = ['upstream', 'upstream-2018', 'istio-1.5', 'istio-1.6', 'istio-1.17', 'istio-1.17-tags', 'json'];
export const ACCESS_LAYOUTS: readonly AccessLayout[] = ['text-tcp', 'text-http', 'json'];

export interface EnvoyLogStep {
  readonly timeMs: number;
  readonly thread: number;
  readonly logger: string;
  readonly connectionId: number | null;
  readonly message: string;
}

function iso(ms: number, fractionDigits: 3 | 6): string {
  const base = new Date(ms).toISOString();
  return fractionDigits === 3 ? base : base.replace('Z', '000Z');
}

function spaced(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

const SOURCE: Record<string, string> = {
  pool: 'source/common/conn_pool/conn_pool_base.cc:153',
  connection: 'source/common/network/connection_impl.cc:698',
  filter: 'source/common/tcp_proxy/tcp_proxy.cc:381',
  router: 'source/common/router/router.cc:470',
  http: 'source/common/http/conn_manager_impl.cc:302',
};

export function envoyLine(layout: EnvoyLayout, step: EnvoyLogStep): string {
  const id = step.connectionId === null ? '' : `[C${step.connectionId}] `;
  const source = SOURCE[step.logger] ?? 'source/common/common/logger.cc:10';
  switch (layout) {
    case 'upstream':
      return `[${spaced(step.timeMs)}][${step.thread}][debug][${step.logger}] [${source}] ${id}${step.message}`;
    case 'upstream-2018':
      return `[${spaced(step.timeMs)}][${step.thread}][debug][${step.logger}] ${source}] ${id}${step.message}`;
    case 'istio-1.5':
      return `[Envoy (Epoch 0)] [${spaced(step.timeMs)}][${step.thread}][debug][${step.logger}] [external/envoy/${source}] ${id}${step.message}`;
    case 'istio-1.6':
      return `${iso(step.timeMs, 3)}\tdebug\tenvoy ${step.logger}\t${id}${step.message}`;
    case 'istio-1.17':
      return `${iso(step.timeMs, 6)}\tdebug\tenvoy ${step.logger} external/envoy/${source}\t${id}${step.message}\tthread=${step.thread}`;
    case 'istio-1.17-tags': {
      const tags = step.connectionId === null ? '' : `[Tags: "ConnectionId":"${step.connectionId}"] `;
      return `${iso(step.timeMs, 6)}\tdebug\tenvoy ${step.logger} external/envoy/${source}\t${tags}${step.message}\tthread=${step.thread}`;
    }
    case 'json':
      return JSON.stringify({ level: 'debug', time: iso(step.timeMs, 6), scope: `envoy ${step.logger}`, msg: `${id}${step.message}` });
  }
}

export interface AccessLogEntry {
  readonly startMs: number;
  readonly durationMs: number;
  readonly flags: string;
  readonly cluster: string;
  readonly upstreamHost: string;
  readonly responseCode: number;
  /** The application's port on its connection to the sidecar (`downstream_remote_address`). */
  readonly clientPort?: number;
}

export function accessLogLine(layout: AccessLayout, e: AccessLogEntry): string {
  const host = e.upstreamHost;
  const client = `10.44.0.13:${e.clientPort ?? 45202}`;
  switch (layout) {
    case 'text-tcp':
      return `[${iso(e.startMs, 3)}] "- - -" 0 ${e.flags} - - "-" 0 0 ${e.durationMs} - "-" "-" "-" "-" "${host}" ${e.cluster} - ${host} ${client} - -`;
    case 'text-http': {
      const details = e.flags === '-' ? 'via_upstream' : 'upstream_reset_before_response_started{connection_failure}';
      return `[${iso(e.startMs, 3)}] "GET /oauth/token HTTP/1.1" ${e.responseCode} ${e.flags} ${details} - "-" 0 91 ${e.durationMs} - "-" "Java/11.0.2" "7c9b5e8e-3f1a-4c7e-9a55-0d1f1e2b3c4d" "idp.example.com" "${host}" ${e.cluster} 10.44.0.13:39514 10.96.12.7:443 ${client} idp.example.com default`;
    }
    case 'json':
      return JSON.stringify({
        start_time: iso(e.startMs, 3),
        method: null,
        path: null,
        protocol: null,
        response_code: e.responseCode,
        response_flags: e.flags,
        response_code_details: e.flags === '-' ? 'via_upstream' : 'upstream_reset_before_response_started{connection_failure}',
        duration: e.durationMs,
        upstream_cluster: e.cluster,
        upstream_host: host,
        downstream_remote_address: client,
      });
  }
}
