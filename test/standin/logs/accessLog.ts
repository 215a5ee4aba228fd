import { IDENTITY_CLUSTER, IDENTITY_HOST } from '../envoy/clusters';
import { formatMillisIso } from './timestamps';

/**
 * Istio's default TEXT access-log line for the failed TCP connection to the identity provider
 * (`UF,URX`: upstream connection failure, retry limit exceeded). Before Istio 1.6 the format had
 * the Mixer status field where later releases have response-code and termination details.
 */
export function identityAccessLogLine(startMs: number, durationMs: number, podIp: string, sourcePort: number, modern: boolean): string {
  const upstream = `${IDENTITY_HOST.address}:${IDENTITY_HOST.port}`;
  const details = modern ? '- - "-"' : '"-" "-"';
  return (
    `[${formatMillisIso({ ms: startMs, subNs: 0 })}] "- - -" 0 UF,URX ${details} 0 0 ${durationMs} - "-" "-" "-" "-" ` +
    `"${upstream}" ${IDENTITY_CLUSTER} - ${upstream} ${podIp}:${sourcePort} idp.example.com -`
  );
}

/**
 * The HTTP form of the same failure: Envoy's local 503 after the connect timeout, with the
 * response-code details of Envoy 1.17+ (`upstream_reset_before_response_started{connection_timeout}`).
 */
export function identityHttpAccessLogLine(startMs: number, durationMs: number, podIp: string, sourcePort: number, requestId: string): string {
  const upstream = `${IDENTITY_HOST.address}:${IDENTITY_HOST.port}`;
  return (
    `[${formatMillisIso({ ms: startMs, subNs: 0 })}] "POST /oauth2/token HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{connection_timeout} - "-" 0 91 ${durationMs} - "-" "Java/17" "${requestId}" "idp.example.com" ` +
    `"${upstream}" ${IDENTITY_CLUSTER} - ${upstream} ${podIp}:${sourcePort} - default`
  );
}

/** A successful HTTP request line, the filler of the load knob. */
export function httpAccessLogLine(startMs: number, seq: number, podIp: string): string {
  const id = seq.toString(16).padStart(8, '0');
  return (
    `[${formatMillisIso({ ms: startMs, subNs: 0 })}] "GET /api/items/${seq % 5000} HTTP/1.1" 200 - via_upstream - "-" 0 ${512 + (seq % 300)} ${2 + (seq % 7)} ${1 + (seq % 5)} ` +
    `"-" "loadgen/1.0" "${id}-7f3a-4c1e-9b2d-${id}0000" "catalog.shop:8080" "10.101.4.17:8080" ` +
    `outbound|8080||catalog.shop.svc.cluster.local ${podIp}:${40000 + (seq % 20000)} 10.96.14.3:8080 ${podIp}:${30000 + (seq % 20000)} - default`
  );
}
