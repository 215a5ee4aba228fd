import * as vscode from 'vscode';
import type { ClusterRevealer } from '../../services/clusterRevealer';
import type { UserInterface } from '../../services/ui';
import type { MeshTreeProvider } from '../meshTreeProvider';
import type { MeshNode } from '../nodes';

/** The Mesh view's side of the ClusterRevealer service: finds the cluster or namespace among the nodes it shows and selects it. */
export function clusterRevealer(provider: MeshTreeProvider, view: Pick<vscode.TreeView<MeshNode>, 'reveal'>, ui: UserInterface): ClusterRevealer {
  return {
    async revealCluster(cluster, pod) {
      if (!pod) {
        void ui.notify('info', `Mesh Doctor: expand the pod in the Mesh view to see cluster ${cluster}; the pod is not known here.`);
        await vscode.commands.executeCommand('meshDoctor.mesh.focus');
        return false;
      }
      const node = await provider.findShownCluster(pod, cluster);
      if (!node) {
        const filtered = provider.showsProblemsOnly ? ' (the problems filter is on)' : '';
        void ui.notify('info', `Mesh Doctor: cluster ${cluster} is not shown under ${pod.namespace}/${pod.name} in the Mesh view${filtered}.`);
        return false;
      }
      await view.reveal(node, { select: true, focus: true, expand: true });
      return true;
    },
    async revealNamespace(context, namespace) {
      const node = await provider.findNamespace(context, namespace);
      if (node) {
        try {
          await view.reveal(node, { select: true, focus: true, expand: true });
          return true;
        } catch {
          // VS Code rejects revealing a node the view does not show (the problems filter hides it).
        }
      }
      const why = !node ? 'is not listed' : provider.showsProblemsOnly ? 'is hidden by the problems filter' : 'could not be shown';
      void ui.notify('info', `Mesh Doctor: namespace ${namespace} of context ${context} ${why} in the Mesh view.`);
      return false;
    },
  };
}
