import * as vscode from 'vscode';
import type { ClusterDocuments } from '../clusterDocuments';
import type { ClusterNode } from '../nodes';

/** Opens a cluster's full config as a read-only JSON document (the click action of cluster nodes). */
export function openClusterConfigCommand(documents: ClusterDocuments): (node?: ClusterNode) => Promise<void> {
  return async (node) => {
    if (node?.kind !== 'cluster') return;
    const doc = await vscode.workspace.openTextDocument(documents.remember(node));
    if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
  };
}
