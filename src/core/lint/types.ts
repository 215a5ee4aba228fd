/**
 * The contract between the linting core and everything that shows its results (the VS Code
 * adapters and the CLI). Positions are 0-based line and UTF-16 character, as VS Code counts them,
 * so an adapter converts nothing.
 */

export type Severity = 'error' | 'warning' | 'information';

export interface SourcePosition {
  readonly line: number;
  readonly character: number;
}

export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/** Where in Istio's model a connect timeout was set. */
export type ConnectTimeoutSite =
  | 'DestinationRule'
  | 'Sidecar'
  | 'IstioOperator'
  | 'HelmValues'
  | 'MeshConfigMap'
  /** A bare MeshConfig document (istioctl's `--meshConfigFile`, a mesh.yaml). */
  | 'MeshConfig'
  | 'EnvoyFilter'
  | 'LegacyProxyConfig'
  /** A pod's `proxy.istio.io/config` annotation (a ProxyConfig). */
  | 'PodProxyConfig'
  /** A workload (Deployment, StatefulSet, Pod …) as a whole. */
  | 'Workload'
  | 'Service'
  /** A file as a whole (it could not be read). */
  | 'File';

export type FindingCode =
  /** Parses, but is below the configured minimum. */
  | 'connect-timeout-low'
  /** Below 1ms: Istio's validation rejects it. */
  | 'connect-timeout-below-1ms'
  /** Does not parse as a duration. */
  | 'connect-timeout-invalid'
  /** `meshConfig.defaultConfig.connectTimeout`: reserved, has no effect. */
  | 'connect-timeout-ignored-field'
  /** A Helm template renders the value: unknown until the chart is rendered. */
  | 'connect-timeout-templated'
  /** Connection pool limits of 1–2 that reject ordinary concurrency with 503 UO. */
  | 'pool-limit-tiny'
  /** `maxRequestsPerConnection: 1`: every request opens a new upstream connection. */
  | 'pool-keepalive-off'
  /** Outlier detection that may eject every endpoint (503 UH). */
  | 'outlier-can-eject-all'
  /** `terminationDrainDuration` at or above the pod's grace period: Envoy is killed mid-drain. */
  | 'drain-exceeds-grace'
  /** A mesh config with neither holdApplicationUntilProxyStarts nor native sidecars. */
  | 'startup-order'
  /** A server-first protocol's port whose protocol Istio must sniff. */
  | 'protocol-sniffing-server-first'
  /** A DestinationRule disables TLS to a host a STRICT PeerAuthentication covers. */
  | 'mtls-disabled-under-strict'
  /** A DestinationRule demands Istio mTLS from a host whose workloads run without a sidecar. */
  | 'mtls-without-sidecar'
  /** A file that holds settings the rules read but does not parse, even with template lines blanked. */
  | 'unreadable-file';

/** Every code, in the order the rules are listed (SARIF rule indexes follow it). */
export const FINDING_CODES: readonly FindingCode[] = [
  'connect-timeout-low', 'connect-timeout-below-1ms', 'connect-timeout-invalid', 'connect-timeout-ignored-field',
  'connect-timeout-templated', 'pool-limit-tiny', 'pool-keepalive-off', 'outlier-can-eject-all', 'drain-exceeds-grace',
  'startup-order', 'protocol-sniffing-server-first', 'mtls-disabled-under-strict', 'mtls-without-sidecar', 'unreadable-file',
];

/** Another place a finding points at: the chart values behind a template, the file a rule disagrees with. */
export interface RelatedLocation {
  /** The file, when it is not the finding's own (a display path, as the caller named files). */
  readonly file: string | null;
  readonly range: SourceRange;
  readonly message: string;
}

export interface ConnectTimeoutFinding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** One sentence for a code lens, e.g. `connectTimeout 1s is below 10s: TLS handshakes slower than this are reset`. */
  readonly summary: string;
  /** The full explanation for a diagnostic or the CLI: mechanism, consequence, what to do. */
  readonly message: string;
  /** Range of the value exactly as written (including quotes, if quoted). */
  readonly range: SourceRange;
  /** The value as written in the file (including quotes). */
  readonly value: string;
  /** The value in seconds, or null when it does not parse. */
  readonly seconds: number | null;
  readonly site: ConnectTimeoutSite;
  /** Dotted path inside the resource, e.g. `spec.trafficPolicy.connectionPool.tcp.connectTimeout`. */
  readonly path: string;
  /** `exportTo` is a DestinationRule's, as written (absent: exported everywhere, Istio's default). */
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null; readonly exportTo?: readonly string[] };
  /** For DestinationRule findings: `spec.host`. */
  readonly host: string | null;
  /** The text that replaces `range` to raise the value to the minimum, keeping the quoting style; null when no fix applies. */
  readonly fix: { readonly replacement: string; readonly title: string } | null;
  /** Documentation to link from the diagnostic. */
  readonly docs: readonly string[];
  /** Set when the finding sits in another file than the one linted (the chart's values.yaml behind a template). */
  readonly file?: string;
  /** Other places the finding involves. */
  readonly related?: readonly RelatedLocation[];
}

/** Every finding has the same shape; connect timeouts were the first rule. */
export type LintFinding = ConnectTimeoutFinding;
