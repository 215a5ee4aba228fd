import type { FindingCode, Severity } from './types';

/** Istio reference pages each rule links to. */
const DR = 'https://istio.io/latest/docs/reference/config/networking/destination-rule/';
export const ISTIO_POOL_DOCS = `${DR}#ConnectionPoolSettings`;
export const ISTIO_OUTLIER_DOCS = `${DR}#OutlierDetection`;
export const ISTIO_TLS_DOCS = `${DR}#ClientTLSSettings-TLSmode`;
export const ISTIO_PROXY_CONFIG_DOCS = 'https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#ProxyConfig';
export const ISTIO_PEER_AUTHENTICATION_DOCS = 'https://istio.io/latest/docs/reference/config/security/peer_authentication/';
export const ISTIO_PROTOCOL_SELECTION_DOCS = 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/';
export const ISTIO_ANNOTATIONS_DOCS = 'https://istio.io/latest/docs/reference/config/annotations/';
export const ISTIO_HELM_DOCS = 'https://istio.io/latest/docs/setup/install/helm/';
export const ISTIO_MESH_CONFIG_DOCS = 'https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig';
export const ISTIO_TCP_SETTINGS_DOCS = `${DR}#ConnectionPoolSettings-TCPSettings`;
export const ENVOY_CONNECT_TIMEOUT_DOCS =
  'https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto#envoy-v3-api-field-config-cluster-v3-cluster-connect-timeout';

export interface RuleDescription {
  readonly id: FindingCode;
  readonly level: Severity;
  readonly short: string;
  readonly full: string;
  readonly helpUri: string;
}

/** One line and one paragraph per rule, for SARIF's rule list and `--list-rules`-style help. */
export const RULE_DESCRIPTIONS: readonly RuleDescription[] = [
  { id: 'connect-timeout-low', level: 'warning', helpUri: ENVOY_CONNECT_TIMEOUT_DOCS, short: 'Connect timeout below the minimum: slow TLS handshakes are reset',
    full: "Envoy's connect timeout covers the TCP connect and the mTLS handshake; when it fires the client sees a reset (UF,URX). In ambient mode meshConfig.connectTimeout governs the waypoint's HBONE connections." },
  { id: 'connect-timeout-below-1ms', level: 'error', helpUri: ISTIO_TCP_SETTINGS_DOCS, short: 'Connect timeout below 1ms: Istio rejects it',
    full: "Istio's validation refuses connect timeouts under 1ms, so the whole resource is rejected." },
  { id: 'connect-timeout-invalid', level: 'error', helpUri: ISTIO_TCP_SETTINGS_DOCS, short: 'Connect timeout is not a duration',
    full: 'Istio reads durations as Go duration strings (10s, 500ms); anything else is rejected.' },
  { id: 'connect-timeout-ignored-field', level: 'information', helpUri: ISTIO_PROXY_CONFIG_DOCS, short: 'ProxyConfig connectTimeout is reserved and has no effect',
    full: 'ProxyConfig.connectTimeout (meshConfig.defaultConfig or the proxy.istio.io/config annotation) is reserved; set meshConfig.connectTimeout or a DestinationRule instead.' },
  { id: 'connect-timeout-templated', level: 'information', helpUri: ISTIO_HELM_DOCS, short: 'Connect timeout comes from a Helm template: unknown until rendered',
    full: 'The value is rendered by Helm from values the chart does not hold; lint the rendered output (helm template) to judge it.' },
  { id: 'pool-limit-tiny', level: 'warning', helpUri: ISTIO_POOL_DOCS, short: 'Connection pool limit of 1-2 rejects ordinary concurrency (503 UO)',
    full: 'maxConnections, http1MaxPendingRequests or http2MaxRequests at 1 or 2 make Envoy overflow the pool under any real load: requests fail with 503 and response flag UO.' },
  { id: 'pool-keepalive-off', level: 'warning', helpUri: ISTIO_POOL_DOCS, short: 'maxRequestsPerConnection 1 turns keep-alive off',
    full: 'Every request opens and closes an upstream connection: extra handshakes, connection churn, and resets (UC, UF) under load.' },
  { id: 'outlier-can-eject-all', level: 'warning', helpUri: ISTIO_OUTLIER_DOCS, short: 'Outlier detection can eject every endpoint (503 UH)',
    full: 'maxEjectionPercent 100 with a hair trigger (1-2 consecutive errors) or a long baseEjectionTime lets one bad moment eject every endpoint: 503 with response flag UH (no healthy upstream).' },
  { id: 'drain-exceeds-grace', level: 'warning', helpUri: ISTIO_PROXY_CONFIG_DOCS, short: 'terminationDrainDuration at or above the pod grace period',
    full: 'Kubernetes kills the pod when terminationGracePeriodSeconds ends; Envoy still draining is killed mid-drain and open connections are reset during every rollout.' },
  { id: 'startup-order', level: 'information', helpUri: ISTIO_PROXY_CONFIG_DOCS, short: 'Applications may start before their sidecar',
    full: 'Without holdApplicationUntilProxyStarts (in defaultConfig, or the values\' global.proxy) or native sidecars (istiod\'s ENABLE_NATIVE_SIDECARS anywhere in the file), an application that calls out at start fails with connection refused until the sidecar is ready. Ambient installs are not reported.' },
  { id: 'protocol-sniffing-server-first', level: 'warning', helpUri: ISTIO_PROTOCOL_SELECTION_DOCS, short: 'Server-first protocol on a port Istio must sniff',
    full: 'A port without a protocol prefix or appProtocol is sniffed: Istio waits for the client to speak first, but server-first protocols (MySQL, …) wait for the server, so connections stall and are reset. Reported only where the linted configuration uses Istio.' },
  { id: 'mtls-disabled-under-strict', level: 'error', helpUri: ISTIO_TLS_DOCS, short: 'DestinationRule disables TLS to a host a STRICT PeerAuthentication covers',
    full: 'Clients send plain text while the server sidecar accepts only mTLS: connections are reset (upstream connect error, UF / URX). Wildcard hosts are judged against the namespace or mesh-wide policy they reach; of several policies for one scope, the one nearest the rule in the folder tree governs.' },
  { id: 'mtls-without-sidecar', level: 'warning', helpUri: ISTIO_TLS_DOCS, short: 'DestinationRule demands Istio mTLS from workloads without a sidecar',
    full: 'ISTIO_MUTUAL to a host whose workloads run without a sidecar makes the client start a TLS handshake the server cannot answer: connections reset (UF).' },
  { id: 'unreadable-file', level: 'information', helpUri: 'https://yaml.org/spec/1.2.2/', short: 'File holds settings the linter reads but does not parse',
    full: 'Even with Helm template lines blanked out, the file is not YAML; its settings were not checked. Render it (helm template) and lint the output.' },
];
