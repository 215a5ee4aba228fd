import * as vscode from 'vscode';
import type { PodRef } from '../../kube/types';
import type { MeshTreeProvider } from '../meshTreeProvider';
import type { ClusterNode, MeshNode } from '../nodes';
import { notificationText } from '../../core/text/markupEscape';

interface RevealRequest {
  readonly cluster?: unknown;
  readonly pod?: Partial<PodRef> | null;
}

function isPodRef(p: Partial<PodRef> | null | undefined): p is PodRef {
  return !!p && typeof p.context === 'string' && typeof p.namespace === 'string' && typeof p.name === 'string';
}

/** Walks the tree the way the view would expand it, down to the cluster node. */
async function findCluster(provider: MeshTreeProvider, pod: PodRef, cluster: string): Promise<ClusterNode | undefined> {
  const step = async (parent: MeshNode | undefined, match: (n: MeshNode) => boolean) => (await provider.getChildren(parent)).find(match);
  const context = await step(undefined, (n) => n.kind === 'context' && n.context === pod.context);
  const namespace = context && (await step(context, (n) => n.kind === 'namespace' && n.namespace === pod.namespace));
  const podNode = namespace && (await step(namespace, (n) => n.kind === 'pod' && n.pod.name === pod.name));
  if (!podNode) return undefined;
  for (const group of await provider.getChildren(podNode)) {
    if (group.kind !== 'clusterGroup') continue;
    const found = group.clusters.find((c) => c.cluster.name === cluster);
    if (found) return found;
  }
  return undefined;
}

/**
 * `meshDoctor.revealCluster({ cluster, pod })`, for other features (the reset annotator): selects
 * the cluster under its pod in the Mesh view, or says why it cannot.
 */
export function registerRevealCluster(provider: MeshTreeProvider, view: vscode.TreeView<MeshNode>): vscode.Disposable {
  return vscode.commands.registerCommand('meshDoctor.revealCluster', async (request?: RevealRequest) => {
    const cluster = typeof request?.cluster === 'string' ? request.cluster : null;
    if (!cluster) return false;
    if (!isPodRef(request?.pod)) {
      void vscode.window.showInformationMessage(notificationText(`Mesh Doctor: expand the pod in the Mesh view to see cluster ${cluster}; the pod is not known here.`));
      await vscode.commands.executeCommand('meshDoctor.mesh.focus');
      return false;
    }
    const node = await findCluster(provider, request.pod, cluster);
    if (!node) {
      const filtered = provider.lowTimeoutsOnly ? ' (the low-timeout filter is on)' : '';
      void vscode.window.showInformationMessage(notificationText(`Mesh Doctor: cluster ${cluster} is not shown under ${request.pod.namespace}/${request.pod.name} in the Mesh view${filtered}.`));
      return false;
    }
    await view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  });
}
