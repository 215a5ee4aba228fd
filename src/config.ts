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
}

export function readConfig(scope?: vscode.ConfigurationScope): MeshDoctorConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    connectTimeoutMinimum: c.get<string>('connectTimeout.minimum', '10s'),
    correlateWindowSeconds: c.get<number>('correlate.windowSeconds', 5),
    correlateClockOffsetSeconds: c.get<number>('correlate.clockOffsetSeconds', 0),
    lintMaxFileSizeMB: c.get<number>('lint.maxFileSizeMB', 2),
  };
}

/** True when a configuration change touches any of the given `meshDoctor.*` keys. */
export function affects(e: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
}
