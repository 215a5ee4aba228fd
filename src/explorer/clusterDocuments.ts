import * as vscode from 'vscode';
import type { ClusterNode } from './nodes';

export const CLUSTER_SCHEME = 'mesh-doctor-cluster';

/**
 * Read-only JSON documents of clusters' full config (`mesh-doctor-cluster:` URIs). The text is
 * captured when the cluster is opened, so the document shows what the tree showed.
 */
export class ClusterDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  uriFor(node: ClusterNode): vscode.Uri {
    const { context, namespace, name } = node.pod;
    // Raw names (Uri encodes them itself), so the tab reads `outbound|443||idp.example.com.json`.
    const segments = [context, namespace, name, `${node.cluster.name}.json`].map((s) => s.replace(/\//g, '∕'));
    return vscode.Uri.from({ scheme: CLUSTER_SCHEME, path: `/${segments.join('/')}` });
  }

  remember(node: ClusterNode): vscode.Uri {
    const uri = this.uriFor(node);
    const config = node.cluster.config;
    this.texts.set(uri.toString(), config === null ? `// Envoy's config dump has no entry for ${JSON.stringify(node.cluster.name)}.\n{}\n` : `${JSON.stringify(config, null, 2)}\n`);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This cluster is no longer loaded: expand its pod in the Mesh view and open it again.\n{}\n';
  }
}
