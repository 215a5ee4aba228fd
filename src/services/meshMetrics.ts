import type * as vscode from 'vscode';
import type { PrometheusClient } from '../kube/prometheus';

/**
 * The Prometheus the settings choose (meshDoctor.prometheus.*, the stored credentials), for
 * features that read the mesh's metrics: the overview implements it, the explorer's badges ask it
 * first and fall back to each pod's Envoy when it cannot be reached.
 */
export interface MeshMetrics {
  /** A client for `context`'s Prometheus; whether it answers is known at the first query. */
  prometheusFor(context: string): Promise<PrometheusClient>;
  /** The settings or credentials behind it changed. */
  readonly onDidChange: vscode.Event<void>;
}
