/**
 * What each cause means and which Istio setting changes it: the mechanism in one sentence and the
 * setting, its documented default and the page that documents it.
 */

import type { CauseFix, ResetCause } from './types';
import { ISTIO_DEFAULT_CONNECT_TIMEOUT } from '../istioDefaults';

const DR = 'https://istio.io/latest/docs/reference/config/networking/destination-rule/';
const VS = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/';
const MESH = 'https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/';
const PEER_AUTHN = 'https://istio.io/latest/docs/reference/config/security/peer_authentication/';
const FLAGS = 'https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#config-access-log-format-response-flags';

type ExplainedCause = Exclude<ResetCause, 'unexplained'>;

export const CAUSE_FIXES: Readonly<Record<ExplainedCause, CauseFix>> = {
  'connect-timeout': {
    setting: 'DestinationRule trafficPolicy.connectionPool.tcp.connectTimeout / meshConfig.connectTimeout',
    default: ISTIO_DEFAULT_CONNECT_TIMEOUT.text,
    docs: DR + '#ConnectionPoolSettings-TCPSettings',
    advice: 'Raise the connect timeout for this destination, or find why the upstream accepts connections so slowly.',
  },
  'connection-refused': {
    setting: "the destination's Service targetPort and the workload's listening port (Envoy retries on connect-failure via VirtualService http.retries.retryOn)",
    default: 'retryOn: connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes; 2 attempts',
    docs: VS + '#HTTPRetry',
    advice: 'Make sure the upstream listens on the port the Service targets and is ready before it receives traffic (e.g. holdApplicationUntilProxyStarts, readiness probes).',
  },
  'tls-failure': {
    setting: 'DestinationRule trafficPolicy.tls.mode / PeerAuthentication mtls.mode',
    default: 'ISTIO_MUTUAL (auto mTLS) / PERMISSIVE',
    docs: PEER_AUTHN,
    advice: 'Make both sides agree on TLS: do not originate TLS to a port that already speaks TLS, and match the PeerAuthentication mode to what clients send.',
  },
  'no-healthy-upstream': {
    setting: 'DestinationRule trafficPolicy.outlierDetection (and the subsets and endpoints of the destination)',
    default: 'consecutive5xxErrors 5, baseEjectionTime 30s, maxEjectionPercent 10',
    docs: DR + '#OutlierDetection',
    advice: "Check that the destination (and the subset the route picks) has ready endpoints, and that outlier detection does not eject all of them.",
  },
  'circuit-breaker': {
    setting: 'DestinationRule trafficPolicy.connectionPool (http.http1MaxPendingRequests, http.http2MaxRequests, tcp.maxConnections)',
    default: '2^32-1 (effectively unlimited)',
    docs: DR + '#ConnectionPoolSettings',
    advice: 'Raise the connection-pool limits for this destination, or scale the upstream so requests do not queue beyond them.',
  },
  'no-route': {
    setting: 'meshConfig.outboundTrafficPolicy.mode / ServiceEntry / VirtualService routes',
    default: 'ALLOW_ANY',
    docs: MESH + '#MeshConfig-OutboundTrafficPolicy-Mode',
    advice: 'Declare the destination with a ServiceEntry (under REGISTRY_ONLY) or add a route that matches the request.',
  },
  'idle-timeout': {
    setting: 'DestinationRule trafficPolicy.connectionPool.http.idleTimeout / tcp.idleTimeout',
    default: '1h',
    docs: DR + '#ConnectionPoolSettings-HTTPSettings',
    advice: "Keep the client's and Envoy's idle timeouts below the upstream's keep-alive timeout, or retry idempotent requests on reset.",
  },
  'max-duration': {
    setting: 'DestinationRule trafficPolicy.connectionPool.http.maxConnectionDuration / tcp.maxConnectionDuration',
    default: 'unset (no limit)',
    docs: DR + '#ConnectionPoolSettings-TCPSettings',
    advice: "Let clients reconnect on GOAWAY or a closed connection, or raise the maximum connection duration. For `UT` (`upstream request timeout`) the route's request timeout ran out instead: raise the VirtualService's http.timeout, or find why the upstream answers so slowly.",
  },
  'upstream-reset': {
    setting: 'VirtualService http.retries.retryOn (reset)',
    default: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
    docs: VS + '#HTTPRetry',
    advice: "Look at the upstream's own logs for why it reset the stream (crash, restart, its own timeouts); add `reset` to retryOn for idempotent calls.",
  },
  'proxy-shutdown': {
    setting: 'meshConfig.defaultConfig.terminationDrainDuration (and proxy.istio.io/config EXIT_ON_ZERO_ACTIVE_CONNECTIONS)',
    default: '5s',
    docs: MESH + '#ProxyConfig',
    advice: "Stop the application before the sidecar (or drain longer than the application's longest call), so no call is in flight when Envoy exits.",
  },
  'upstream-connect-failure': {
    setting: "DestinationRule trafficPolicy.connectionPool.tcp.connectTimeout and the destination's endpoints",
    default: ISTIO_DEFAULT_CONNECT_TIMEOUT.text,
    docs: FLAGS,
    advice: "Envoy could not connect to the upstream: check the destination's endpoints, port, NetworkPolicy and TLS settings.",
  },
  'downstream-closed': {
    setting: 'the listener and HTTP connection manager settings of the sidecar (idle timeouts, drains, protocol detection)',
    default: 'depends on the listener',
    docs: FLAGS,
    advice: "Envoy closed the application's connection itself: check for listener updates (drains), protocol errors and sidecar restarts at that moment.",
  },
};

/** The order in which a connection chain's evidence decides: the most specific cause first. */
export const CAUSE_PRECEDENCE: readonly ResetCause[] = [
  'tls-failure',
  'connection-refused',
  'connect-timeout',
  'no-route',
  'no-healthy-upstream',
  'circuit-breaker',
  'max-duration',
  'idle-timeout',
  'proxy-shutdown',
  'upstream-reset',
  'upstream-connect-failure',
  'downstream-closed',
  'unexplained',
];

/** The causes that say only that a connection failed, when nothing more specific is known. */
export function isFallbackCause(cause: ResetCause): boolean {
  return cause === 'upstream-connect-failure' || cause === 'downstream-closed';
}

/** What a fallback cause may be narrowed to by a more specific reason the application's error names. */
const REFINEMENTS: Readonly<Partial<Record<ResetCause, readonly ResetCause[]>>> = {
  'upstream-connect-failure': ['connect-timeout', 'connection-refused', 'tls-failure', 'no-healthy-upstream'],
};

/**
 * The cause once the application's own reason is heard: Envoy's reply body names the transport
 * failure (`TLS error: ... CERTIFICATE_VERIFY_FAILED`, `delayed connect error: 111`) where the
 * access log only says `UF` / `{connection_failure}`, so a reason that narrows the fallback wins.
 */
export function refinedByHint(cause: ResetCause, hint: ResetCause | null): ResetCause {
  return hint !== null && (REFINEMENTS[cause]?.includes(hint) ?? false) ? hint : cause;
}

export function fixFor(cause: ResetCause): CauseFix | null {
  return cause === 'unexplained' ? null : CAUSE_FIXES[cause];
}

const MECHANISMS: Readonly<Record<ExplainedCause, string>> = {
  'connect-timeout': 'Envoy gave up connecting to the upstream when the connect timeout ran out',
  'connection-refused': 'the upstream refused the connection (nothing listened on the port, ECONNREFUSED)',
  'tls-failure': "the TLS handshake between the proxies failed (TLS mode or certificate mismatch)",
  'no-healthy-upstream': 'Envoy had no healthy endpoint for the destination (none ready, all ejected or none resolved)',
  'circuit-breaker': "the destination's connection-pool limits were full, so Envoy rejected the request (overflow)",
  'no-route': 'Envoy had no route or cluster for the destination (not in the registry, BlackHoleCluster or route not found)',
  'idle-timeout': 'an idle connection was closed (by Envoy or by the upstream) and the next use of it failed',
  'max-duration': 'the connection reached its maximum duration and was drained (GOAWAY) or closed by Envoy',
  'upstream-reset': 'the upstream reset the stream or connection, and Envoy passed the reset on',
  'proxy-shutdown': 'the sidecar was draining or exiting while the call was in flight',
  'upstream-connect-failure': 'Envoy could not connect to the upstream',
  'downstream-closed': "Envoy closed the application's connection with no upstream failure logged",
};

export function mechanismOf(cause: ExplainedCause): string {
  return MECHANISMS[cause];
}
