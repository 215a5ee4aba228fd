import * as vscode from 'vscode';
import type { PrometheusClient } from '../kube/prometheus';
import { ClusterAccessPool } from '../kube/transport';
import type { Configuration, SettingKey } from '../services/configuration';
import type { MeshMetrics } from '../services/meshMetrics';
import { PrometheusCredentials } from './credentials';
import { openPrometheus } from './prometheusAccess';

/** The settings that decide which Prometheus is asked and how. */
const PROMETHEUS_SETTINGS: readonly SettingKey[] = ['prometheus.url', 'prometheus.service', 'prometheus.headers', 'prometheus.caFile', 'kubeconfig', 'requestTimeoutSeconds'];

/**
 * The Prometheus of the settings and the stored credentials, shared by the overview and the
 * explorer's badges: one kubeconfig read for the in-cluster Service, dropped when a setting or the
 * credentials change (then `onDidChange` fires).
 */
export class SettingsPrometheus implements MeshMetrics, vscode.Disposable {
  readonly credentials: PrometheusCredentials;
  private readonly clusters: ClusterAccessPool;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly config: Configuration,
    secrets: vscode.SecretStorage,
  ) {
    this.credentials = new PrometheusCredentials(secrets);
    this.clusters = new ClusterAccessPool(() => config.current);
    const reset = () => {
      this.clusters.reset();
      this.changed.fire();
    };
    this.listeners = [config.onDidChange(PROMETHEUS_SETTINGS, reset), this.credentials.onDidChange(reset)];
  }

  async prometheusFor(context: string): Promise<PrometheusClient> {
    return openPrometheus(this.config.current, await this.credentials.get(), this.clusters, context);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.changed.dispose();
  }
}
