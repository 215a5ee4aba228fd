/**
 * What the correlator says about each connection reset. The CLI's JSON output and the annotator
 * webview both render exactly this shape.
 */

export type ResetCause =
  | 'connect-timeout'
  | 'upstream-connect-failure'
  | 'upstream-reset'
  | 'downstream-closed'
  | 'unexplained';

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

export interface SourceLine {
  /** File path or editor URI the line came from. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
}

export interface EnvoyEventMatch extends SourceLine {
  readonly kind: EnvoyEventKind;
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
}
