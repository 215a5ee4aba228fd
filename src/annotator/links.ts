import * as vscode from 'vscode';
import type { PodRef } from '../kube/types';
import type { AnnotatorRun, LinkHandler, LinkRequest } from './annotatorPanel';
import { notificationText } from '../core/text/markupEscape';

/** Commands other features register; the annotator links to them only when they exist. */
export const REVEAL_CLUSTER_COMMAND = 'meshDoctor.revealCluster';
export const FIND_SETTING_COMMAND = 'meshDoctor.findSettingForHost';
export const ENABLE_DEBUG_LOGGING_COMMAND = 'meshDoctor.debugLogging.enable';

export async function commandExists(id: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(id);
}

/** `outbound|443||idp.example.com` → `idp.example.com`; anything else is taken as the host itself. */
export function hostOfCluster(cluster: string): string {
  const parts = cluster.split('|');
  return parts.length === 4 && parts[3] ? parts[3] : cluster;
}

function podRefFor(run: AnnotatorRun, podName: string | null): PodRef | undefined {
  if (podName === null) return run.summary.pods.length === 1 ? run.summary.pods[0] : undefined;
  return run.summary.pods.find((p) => p.name === podName);
}

/**
 * Opens a line the webview names, but only in a document that belongs to the run: the webview
 * shows untrusted text, so it must not be able to open arbitrary files.
 */
async function openSource(run: AnnotatorRun, file: string, line: number, panel: vscode.WebviewPanel): Promise<void> {
  const source = run.summary.sources.find((s) => s.file === file);
  if (!source) {
    void vscode.window.showWarningMessage('Mesh Doctor: that line is not from a log of this annotation run. Run "Annotate Connection resets" again.');
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
    void vscode.window.showWarningMessage(notificationText(`Mesh Doctor: ${source.label} has only ${document.lineCount} lines now; it changed after the annotation. Run the annotation again.`));
    return;
  }
  const range = document.lineAt(target).range;
  const column = panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  await vscode.window.showTextDocument(document, { viewColumn: column, selection: new vscode.Selection(range.start, range.end), preserveFocus: false });
}

async function revealCluster(run: AnnotatorRun, cluster: string, podName: string | null): Promise<unknown> {
  if (!(await commandExists(REVEAL_CLUSTER_COMMAND))) {
    void vscode.window.showInformationMessage(
      notificationText(`Mesh Doctor: the Mesh view cannot reveal clusters in this window. Look for ${cluster} under the pod's clusters in the Mesh view.`),
    );
    return;
  }
  return vscode.commands.executeCommand(REVEAL_CLUSTER_COMMAND, { cluster, pod: podRefFor(run, podName) ?? null });
}

async function findSetting(run: AnnotatorRun, cluster: string, podName: string | null): Promise<void> {
  const host = hostOfCluster(cluster);
  if (!(await commandExists(FIND_SETTING_COMMAND))) {
    void vscode.window.showInformationMessage(
      notificationText(`Mesh Doctor: cannot search the workspace for connect timeouts in this window. Look for a DestinationRule with host ${host}, or meshConfig.connectTimeout.`),
    );
    return;
  }
  // The client's namespace decides between DestinationRules for the same host, as in Istio.
  const namespace = podRefFor(run, podName)?.namespace ?? null;
  const opened = await vscode.commands.executeCommand<boolean>(FIND_SETTING_COMMAND, host, namespace);
  if (!opened) {
    void vscode.window.showInformationMessage(
      notificationText(`Mesh Doctor: no manifest in this workspace sets the connect timeout for ${host}. It comes from meshConfig.connectTimeout or a DestinationRule in the cluster; Istio's default is 10s.`),
    );
  }
}

async function enableDebugLogging(run: AnnotatorRun, podName: string | null): Promise<void> {
  if (!(await commandExists(ENABLE_DEBUG_LOGGING_COMMAND))) {
    void vscode.window.showInformationMessage('Mesh Doctor: enabling debug logging is not available in this window. Run `istioctl proxy-config log POD --level=debug`.');
    return;
  }
  const pod = podRefFor(run, podName);
  // The debug-logging command takes a Mesh tree node (it reads `node.pod`); without a known pod it asks for one.
  await vscode.commands.executeCommand(ENABLE_DEBUG_LOGGING_COMMAND, pod ? { pod } : undefined);
}

export const handleAnnotatorLink: LinkHandler = async (request: LinkRequest, run, panel) => {
  switch (request.type) {
    case 'openSource':
      return openSource(run, request.file, request.line, panel);
    case 'revealCluster':
      return revealCluster(run, request.cluster, request.pod);
    case 'findSetting':
      return findSetting(run, request.cluster, request.pod);
    case 'enableDebugLogging':
      return enableDebugLogging(run, request.pod);
  }
};
