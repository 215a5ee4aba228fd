/**
 * What the correlator says about each connection reset. The CLI's JSON output and the annotator
 * webview both render exactly this shape.
 */

export type ResetCause =
  | 'connect-timeout'
  | 'connection-refused'
  | 'tls-failure'
  | 'no-healthy-upstream'
  | 'circuit-breaker'
  | 'no-route'
  | 'idle-timeout'
  | 'max-duration'
  | 'upstream-reset'
  | 'proxy-shutdown'
  | 'upstream-connect-failure'
  | 'downstream-closed'
  | 'unexplained';

/** What the application logged: a reset of its connection, or the HTTP error Envoy answered with. */
export type FindingKind = 'reset' | 'http-error';

/** The Istio setting that changes a cause, its documented default and where it is documented. */
export interface CauseFix {
  readonly setting: string;
  readonly default: string;
  readonly docs: string;
  readonly advice: string;
}

export type EnvoyEventKind =
  | 'creating-connection'
  | 'connecting'
  | 'connection-in-progress'
  | 'connect-timeout'
  | 'connect-failure'
  | 'upstream-reset'
  | 'closing'
  | 'downstream-closed'
  | 'access-log';

/** Every kind of Envoy or pilot-agent line the correlator reads (the panel labels the original ones). */
export type EnvoyLineKind =
  | EnvoyEventKind
  | 'tls-failure'
  | 'no-healthy-upstream'
  | 'local-reply'
  | 'idle-timeout'
  | 'max-duration'
  | 'proxy-shutdown'
  | 'connection-reused';

export interface SourceLine {
  /** File path or editor URI the line came from. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
}

export interface EnvoyEventMatch extends SourceLine {
  readonly kind: EnvoyLineKind;
  /** Envoy connection id (`332` for `[C332]`), or null (access-log lines have none). */
  readonly connectionId: string | null;
  /** Envoy cluster, e.g. `outbound|443||idp.example.com`, when known. */
  readonly cluster: string | null;
  /** ISO 8601 UTC. */
  readonly time: string;
  /** The line's text as read (untrusted; escape it wherever it is shown). */
  readonly text: string;
}

export interface ExceptionSummary {
  /** The outermost exception line, e.g. `com.x.ConnectorRuntimeException: Problem processing ...`. */
  readonly outermost: string;
  /** The exception in the chain that holds the reset, e.g. `java.net.SocketException: Connection reset`. */
  readonly resetCause: string;
  /** Language or runtime the reset was recognised in. */
  readonly runtime: 'java' | 'go' | 'python' | 'node' | 'other';
}

export interface ResetReport extends SourceLine {
  readonly kind: FindingKind;
  /** ISO 8601 UTC (after any clock offset), or null when the record had no usable time. */
  readonly time: string | null;
  readonly pod: string | null;
  readonly exception: ExceptionSummary;
  readonly cause: ResetCause;
  /** 0 to 1. */
  readonly confidence: number;
  /** One line, e.g. "Envoy's connect timeout (1 s) to `outbound|443||idp` fired 2 ms before this reset: ..." */
  readonly explanation: string;
  /** Envoy events that explain the reset, in time order. */
  readonly matches: readonly EnvoyEventMatch[];
  /** The cluster's connect timeout in seconds, when known or inferred. */
  readonly connectTimeoutSeconds: number | null;
  readonly cluster: string | null;
  /** How to change what caused it; null when unexplained. */
  readonly fix: CauseFix | null;
}

/** One event on a run's timeline (an app failure or an Envoy event), as the CLI and the annotator show it. */
export interface TimelineEvent {
  readonly time: string;
  readonly side: 'app' | 'envoy';
  readonly kind: string;
  readonly file: string;
  readonly line: number;
  readonly pod: string | null;
  readonly label: string;
}
