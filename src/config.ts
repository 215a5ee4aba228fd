import * as vscode from 'vscode';

/**
 * Every setting Mesh Doctor reads, in one typed place (as rust-analyzer's client does), so a
 * feature never spells a setting key itself and a rename is a one-line change.
 */
export const SECTION = 'meshDoctor';

export interface MeshDoctorConfig {
  /** The lint threshold, as written by the user (a Go duration such as `10s`). */
  readonly connectTimeoutMinimum: string;
  /** Seconds either side of a connection reset in which Envoy events may explain it. */
  readonly correlateWindowSeconds: number;
  /** Added to application log times before correlating, when app and Envoy clocks disagree. */
  readonly correlateClockOffsetSeconds: number;
  /** Manifests larger than this many megabytes are not linted (keeps huge generated files off the typing path). */
  readonly lintMaxFileSizeMB: number;
  /** `meshDoctor.kubeconfig`: kubeconfig file(s) to use instead of KUBECONFIG / ~/.kube/config; empty for the default. */
  readonly kubeconfig: string;
  /** How Envoy admin requests and logs reach the cluster: client-node or the user's kubectl. */
  readonly transport: 'api' | 'kubectl';
  /** The kubectl binary for the `kubectl` transport (machine scope: untrusted workspaces cannot set it). */
  readonly kubectlPath: string;
  /** Minutes after which raised Envoy log levels are restored; 0 keeps them raised until asked. */
  readonly debugLoggingAutoRevertMinutes: number;
  /** Context names (globs, or regexes between slashes) that need a confirmation before any change. */
  readonly protectedContexts: readonly string[];
  /** Lines the tail editor keeps (older ones are dropped). */
  readonly tailMaxLines: number;
  /** Seconds one call to the cluster (API request, port-forward, exec, kubectl) may take. */
  readonly requestTimeoutSeconds: number;
}

export function readConfig(scope?: vscode.ConfigurationScope): MeshDoctorConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    connectTimeoutMinimum: c.get<string>('connectTimeout.minimum', '10s'),
    correlateWindowSeconds: c.get<number>('correlate.windowSeconds', 5),
    correlateClockOffsetSeconds: c.get<number>('correlate.clockOffsetSeconds', 0),
    lintMaxFileSizeMB: c.get<number>('lint.maxFileSizeMB', 2),
    kubeconfig: c.get<string>('kubeconfig', ''),
    transport: c.get<string>('transport', 'api') === 'kubectl' ? 'kubectl' : 'api',
    kubectlPath: c.get<string>('kubectlPath', '') || 'kubectl',
    debugLoggingAutoRevertMinutes: Math.max(0, c.get<number>('debugLogging.autoRevertMinutes', 10)),
    protectedContexts: c.get<string[]>('protectedContexts', ['*prod*']),
    tailMaxLines: Math.max(100, Math.floor(c.get<number>('tail.maxLines', 10_000))),
    requestTimeoutSeconds: Math.min(3600, Math.max(1, c.get<number>('requestTimeoutSeconds', 30) || 30)),
  };
}

/** True when a configuration change touches any of the given `meshDoctor.*` keys. */
export function affects(e: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}
