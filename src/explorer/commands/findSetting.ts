import * as vscode from 'vscode';
import { formatDuration } from '../../core/duration';
import { findSettingForHost, MESH_WIDE_SITES } from '../../core/lint';
import { connectTimeoutIndex } from '../../lint/register';
import type { IndexedSetting } from '../../lint/workspaceIndex';
import type { ClusterNode } from '../nodes';
import { notificationText } from '../../core/text/markupEscape';

async function workspaceSettings(): Promise<IndexedSetting[] | null> {
  const index = connectTimeoutIndex();
  if (!index) return null;
  await index.ready();
  return index.all();
}

/** The manifest that produces a cluster's timeout: a DestinationRule for its host, else the mesh-wide value. */
export async function locateSetting(host: string | null, namespace: string | null): Promise<IndexedSetting | null> {
  const all = (await workspaceSettings()) ?? [];
  // Clusters without a service host (PassthroughCluster, BlackHoleCluster) take the mesh-wide value.
  const found = host ? findSettingForHost(host, namespace, all) : all.find((l) => MESH_WIDE_SITES.has(l.setting.site)) ?? null;
  return found as IndexedSetting | null;
}

async function reveal(located: IndexedSetting): Promise<void> {
  const { start, end } = located.setting.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const editor = await vscode.window.showTextDocument(located.uri, { selection: range, preview: false });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function nothingSetsIt(node: ClusterNode): string {
  const row = node.cluster;
  const value = row.connectTimeoutSeconds === null ? 'an unknown value' : formatDuration(row.connectTimeoutSeconds);
  const source = row.connectTimeoutSeconds === 10 ? "Istio's default 10s" : `${value}, the mesh-wide value (meshConfig.connectTimeout) or a DestinationRule in the cluster`;
  return `Cluster ${row.name} uses ${source}; no manifest in this workspace sets it.`;
}

/** "Find where this is set" on a cluster node: opens the manifest and selects the value. */
export function registerFindSetting(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('meshDoctor.mesh.findSetting', async (node?: ClusterNode) => {
      if (node?.kind !== 'cluster') return;
      if (node.cluster.isStatic) {
        void vscode.window.showInformationMessage(notificationText(`Cluster ${node.cluster.name} comes from the Istio proxy's bootstrap; no manifest sets its connect timeout.`));
        return;
      }
      const located = await locateSetting(node.cluster.host, node.pod.namespace);
      if (located) await reveal(located);
      else void vscode.window.showInformationMessage(notificationText(nothingSetsIt(node)));
    }),
    // For other features (the reset annotator): the same lookup by host; resolves true when a manifest was opened.
    vscode.commands.registerCommand('meshDoctor.findSettingForHost', async (host?: string, namespace?: string) => {
      const located = await locateSetting(typeof host === 'string' ? host : null, typeof namespace === 'string' ? namespace : null);
      if (located) await reveal(located);
      return located !== null;
    }),
  );
}
