import * as vscode from 'vscode';
import { parseClusterName } from '../core/envoy/clusterName';
import type { PodRef } from '../kube/types';
import type { ClusterRevealer } from '../services/clusterRevealer';
import type { SettingLocator } from '../services/settingLocator';
import type { UserInterface } from '../services/ui';
import type { AnnotatorRun, LinkHandler } from './annotatorPanel';

/** The user-facing debug-logging command; given `{ pod }` it raises that pod's loggers, without it it asks. */
const ENABLE_DEBUG_LOGGING_COMMAND = 'meshDoctor.debugLogging.enable';

/** Raises a pod's Envoy log levels through the user-facing command (it asks for a pod when given none). */
export function raiseDebugLogging(pod: PodRef | null): Thenable<unknown> {
  // The command takes a Mesh tree node (it reads `node.pod`).
  return vscode.commands.executeCommand(ENABLE_DEBUG_LOGGING_COMMAND, pod ? { pod } : undefined);
}

/** The services the panel's links hand their requests to. */
export interface AnnotatorLinkServices {
  readonly settings: SettingLocator;
  readonly clusters: ClusterRevealer;
  readonly ui: UserInterface;
}

/** The pod a link names, but only one of the run's own pods: the webview shows untrusted text. */
function podRefFor(run: AnnotatorRun, podName: string | null): PodRef | null {
  if (podName === null) return run.summary.pods.length === 1 ? run.summary.pods[0] : null;
  return run.summary.pods.find((p) => p.name === podName) ?? null;
}

/**
 * Opens a line the webview names, but only in a document that belongs to the run: the webview
 * shows untrusted text, so it must not be able to open arbitrary files.
 */
async function openSource(run: AnnotatorRun, file: string, line: number, panel: vscode.WebviewPanel, ui: UserInterface): Promise<void> {
  const source = run.summary.sources.find((s) => s.file === file);
  if (!source) {
    void ui.notify('warning', 'Mesh Doctor: that line is not from a log of this annotation run. Run "Annotate Connection resets" again.');
    return;
  }
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(file, true));
  } catch (err) {
    throw new Error(`cannot open ${source.label} (${err instanceof Error ? err.message : String(err)}). If it was a live log, annotate the pod again.`);
  }
  const target = source.firstLine - 1 + line - 1;
  if (target >= document.lineCount) {
    void ui.notify('warning', `Mesh Doctor: ${source.label} has only ${document.lineCount} lines now; it changed after the annotation. Run the annotation again.`);
    return;
  }
  const range = document.lineAt(target).range;
  const column = panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  await vscode.window.showTextDocument(document, { viewColumn: column, selection: new vscode.Selection(range.start, range.end), preserveFocus: false });
}

async function findSetting(services: AnnotatorLinkServices, run: AnnotatorRun, cluster: string, podName: string | null): Promise<boolean> {
  // Clusters without a service host (PassthroughCluster, BlackHoleCluster) take the mesh-wide value, as in the Mesh view.
  const { host } = parseClusterName(cluster);
  // The client's namespace decides between DestinationRules for the same host, as in Istio.
  const namespace = podRefFor(run, podName)?.namespace ?? null;
  const opened = await services.settings.revealConnectTimeoutSetting(host, namespace);
  if (!opened) {
    const rule = host ? `a DestinationRule for ${host}` : 'a DestinationRule';
    void services.ui.notify('info', `Mesh Doctor: no manifest in this workspace sets the connect timeout of ${cluster}. It comes from meshConfig.connectTimeout or ${rule} in the cluster; Istio's default is 10s.`);
  }
  return opened;
}

/** The panel's link handler: each request goes to the service (or public command) that owns it. */
export function annotatorLinks(services: AnnotatorLinkServices): LinkHandler {
  return async (request, run, panel) => {
    switch (request.type) {
      case 'openSource':
        return openSource(run, request.file, request.line, panel, services.ui);
      case 'revealCluster':
        return services.clusters.revealCluster(request.cluster, podRefFor(run, request.pod));
      case 'findSetting':
        return findSetting(services, run, request.cluster, request.pod);
      case 'enableDebugLogging': {
        return raiseDebugLogging(podRefFor(run, request.pod));
      }
    }
  };
}
