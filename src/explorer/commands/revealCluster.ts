import * as vscode from 'vscode';
import type { PodRef } from '../../kube/types';
import type { MeshTreeProvider } from '../meshTreeProvider';
import type { MeshNode } from '../nodes';
import { notificationText } from '../../core/text/markupEscape';

interface RevealRequest {
  readonly cluster?: unknown;
  readonly pod?: Partial<PodRef> | null;
}

function isPodRef(p: Partial<PodRef> | null | undefined): p is PodRef {
  return !!p && typeof p.context === 'string' && typeof p.namespace === 'string' && typeof p.name === 'string';
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
    const node = await provider.findShownCluster(request.pod, cluster);
    if (!node) {
      const filtered = provider.lowTimeoutsOnly ? ' (the low-timeout filter is on)' : '';
      void vscode.window.showInformationMessage(notificationText(`Mesh Doctor: cluster ${cluster} is not shown under ${request.pod.namespace}/${request.pod.name} in the Mesh view${filtered}.`));
      return false;
    }
    await view.reveal(node, { select: true, focus: true, expand: true });
    return true;
  });
}
