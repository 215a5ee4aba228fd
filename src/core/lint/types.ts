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
  | 'LegacyProxyConfig';

export type FindingCode =
  /** Parses, but is below the configured minimum. */
  | 'connect-timeout-low'
  /** Below 1ms: Istio's validation rejects it. */
  | 'connect-timeout-below-1ms'
  /** Does not parse as a duration. */
  | 'connect-timeout-invalid'
  /** `meshConfig.defaultConfig.connectTimeout`: reserved, has no effect. */
  | 'connect-timeout-ignored-field';

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
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null };
  /** For DestinationRule findings: `spec.host`. */
  readonly host: string | null;
  /** The text that replaces `range` to raise the value to the minimum, keeping the quoting style; null when no fix applies. */
  readonly fix: { readonly replacement: string; readonly title: string } | null;
  /** Documentation to link from the diagnostic. */
  readonly docs: readonly string[];
}
