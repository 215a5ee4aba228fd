import * as vscode from 'vscode';
import type { ClusterDocuments } from '../clusterDocuments';
import type { ClusterNode } from '../nodes';
import { OPEN_CLUSTER_CONFIG_COMMAND } from '../treeItems';

/** Opens a cluster's full config as a read-only JSON document (the click action of cluster nodes). */
export function registerOpenClusterConfig(documents: ClusterDocuments): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_CLUSTER_CONFIG_COMMAND, async (node?: ClusterNode) => {
    if (node?.kind !== 'cluster') return;
    const doc = await vscode.workspace.openTextDocument(documents.remember(node));
    if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  });
}
