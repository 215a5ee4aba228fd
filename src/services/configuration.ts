import * as vscode from 'vscode';
import { affects, readConfig, type MeshDoctorConfig } from '../config';
import { DEFAULT_CONNECT_TIMEOUT_MINIMUM, parseConnectTimeoutMinimum, type ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { notificationText } from '../core/text/markupEscape';

/** The `meshDoctor.*` keys a feature can listen to. */
export type SettingKey =
  | 'connectTimeout.minimum'
  | 'correlate.windowSeconds'
  | 'correlate.clockOffsetSeconds'
  | 'lint.maxFileSizeMB'
  | 'lint.includeJson'
  | 'lint.background'
  | 'kubeconfig'
  | 'transport'
  | 'kubectlPath'
  | 'debugLogging.autoRevertMinutes'
  | 'diagnose.debugMinutes'
  | 'protectedContexts'
  | 'tail.maxLines'
  | 'requestTimeoutSeconds'
  | 'prometheus.url'
  | 'prometheus.service'
  | 'prometheus.headers'
  | 'prometheus.caFile'
  | 'overview.minutes';

const KEYS: readonly SettingKey[] = [
  'connectTimeout.minimum', 'correlate.windowSeconds', 'correlate.clockOffsetSeconds', 'lint.maxFileSizeMB', 'lint.includeJson', 'lint.background', 'kubeconfig',
  'transport', 'kubectlPath', 'debugLogging.autoRevertMinutes', 'diagnose.debugMinutes', 'protectedContexts', 'tail.maxLines', 'requestTimeoutSeconds',
  'prometheus.url', 'prometheus.service', 'prometheus.headers', 'prometheus.caFile', 'overview.minutes',
];

/**
 * The extension's settings, read through one listener and parsed once per change (as
 * rust-analyzer's client owns its configuration): features read `current` and the parsed
 * `minimum`, and subscribe to the keys they care about with `onDidChange`. An invalid minimum
 * warns once per value and falls back to Istio's default, so a typo never switches the lint off.
 */
export class Configuration implements vscode.Disposable {
  private config: MeshDoctorConfig = readConfig();
  private parsedMinimum: ConnectTimeoutMinimum = DEFAULT_CONNECT_TIMEOUT_MINIMUM;
  private lastWarned: string | null = null;
  private readonly changed = new vscode.EventEmitter<ReadonlySet<SettingKey>>();
  private readonly listener: vscode.Disposable;

  constructor() {
    this.parseMinimum();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      const keys = new Set(KEYS.filter((k) => affects(e, k)));
      if (keys.size === 0) return;
      this.config = readConfig();
      if (keys.has('connectTimeout.minimum')) this.parseMinimum();
      this.changed.fire(keys);
    });
  }

  get current(): MeshDoctorConfig {
    return this.config;
  }

  /** The low-connect-timeout threshold, parsed (Istio's 10s when the setting is invalid). */
  get minimum(): ConnectTimeoutMinimum {
    return this.parsedMinimum;
  }

  /** Fires once per configuration change that touches any of `keys`. */
  onDidChange(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
    return this.changed.event((changed) => {
      if (keys.some((k) => changed.has(k))) listener();
    });
  }

  private parseMinimum(): void {
    const raw = this.config.connectTimeoutMinimum;
    const parsed = parseConnectTimeoutMinimum(raw);
    if (parsed.ok) {
      this.parsedMinimum = parsed.minimum;
      this.lastWarned = null;
      return;
    }
    this.parsedMinimum = DEFAULT_CONNECT_TIMEOUT_MINIMUM;
    if (this.lastWarned === raw) return;
    this.lastWarned = raw;
    const open = 'Open Settings';
    void vscode.window
      .showWarningMessage(
        notificationText(
          `Mesh Doctor: the setting meshDoctor.connectTimeout.minimum (${JSON.stringify(raw)}) is not a threshold: ${parsed.reason}. ` +
            `Using ${DEFAULT_CONNECT_TIMEOUT_MINIMUM.text}. Set it to a Go duration such as 10s or 1m30s.`,
        ),
        open,
      )
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'meshDoctor.connectTimeout.minimum');
      });
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
