import { formatMillisIso } from './timestamps';

/**
 * One request (or TCP session) as Istio's access log records it. Empty fields are null: the text
 * format writes them as `-`, the JSON format as null.
 */
export interface AccessEntry {
  readonly startMs: number;
  /** Null for a TCP session (`"- - -"`). */
  readonly request: { readonly method: string; readonly path: string; readonly protocol: string; readonly userAgent: string; readonly requestId: string; readonly authority: string } | null;
  readonly responseCode: number;
  readonly flags: readonly string[];
  readonly details: string | null;
  readonly terminationDetails: string | null;
  readonly transportFailureReason: string | null;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly durationMs: number;
  readonly upstreamServiceTimeMs: number | null;
  readonly upstreamHost: string | null;
  readonly upstreamCluster: string | null;
  readonly upstreamLocal: string | null;
  readonly downstreamLocal: string;
  readonly downstreamRemote: string;
  readonly serverName: string | null;
  readonly routeName: string | null;
}

const dash = (v: string | number | null): string => (v === null || v === '' ? '-' : String(v));

/**
 * Istio's default TEXT format (`EnvoyTextLogFormat` in pilot/pkg/model/telemetry_logging.go,
 * istio/istio 1.22):
 * `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 * "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 * %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 * "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 * %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 * %REQUESTED_SERVER_NAME% %ROUTE_NAME%`.
 */
export function istioTextAccessLine(e: AccessEntry): string {
  const r = e.request;
  return (
    `[${formatMillisIso({ ms: e.startMs, subNs: 0 })}] "${r ? `${r.method} ${r.path} ${r.protocol}` : '- - -'}" ${e.responseCode} ${dash(e.flags.join(','))} ` +
    `${dash(e.details)} ${dash(e.terminationDetails)} "${dash(e.transportFailureReason)}" ${e.bytesReceived} ${e.bytesSent} ${e.durationMs} ${dash(e.upstreamServiceTimeMs)} ` +
    `"-" "${dash(r?.userAgent ?? null)}" "${dash(r?.requestId ?? null)}" "${dash(r?.authority ?? null)}" "${dash(e.upstreamHost)}" ${dash(e.upstreamCluster)} ` +
    `${dash(e.upstreamLocal)} ${e.downstreamLocal} ${e.downstreamRemote} ${dash(e.serverName)} ${dash(e.routeName)}`
  );
}

/**
 * Istio's JSON format (`EnvoyJSONLogFormatIstio`, the same fields as the text format, keys in
 * Envoy's sorted order, numbers as numbers, empty fields null).
 */
export function istioJsonAccessLine(e: AccessEntry): string {
  const r = e.request;
  return JSON.stringify({
    authority: r?.authority ?? null,
    bytes_received: e.bytesReceived,
    bytes_sent: e.bytesSent,
    connection_termination_details: e.terminationDetails,
    downstream_local_address: e.downstreamLocal,
    downstream_remote_address: e.downstreamRemote,
    duration: e.durationMs,
    method: r?.method ?? null,
    path: r?.path ?? null,
    protocol: r?.protocol ?? null,
    request_id: r?.requestId ?? null,
    requested_server_name: e.serverName,
    response_code: e.responseCode,
    response_code_details: e.details,
    response_flags: e.flags.length ? e.flags.join(',') : null,
    route_name: e.routeName,
    start_time: formatMillisIso({ ms: e.startMs, subNs: 0 }),
    upstream_cluster: e.upstreamCluster,
    upstream_host: e.upstreamHost,
    upstream_local_address: e.upstreamLocal,
    upstream_service_time: e.upstreamServiceTimeMs === null ? null : String(e.upstreamServiceTimeMs),
    upstream_transport_failure_reason: e.transportFailureReason,
    user_agent: r?.userAgent ?? null,
    x_forwarded_for: null,
  });
}
