import * as vscode from 'vscode';
import type { ClusterRevealer } from '../../services/clusterRevealer';
import type { UserInterface } from '../../services/ui';
import type { MeshTreeProvider } from '../meshTreeProvider';
import type { MeshNode } from '../nodes';

/** The Mesh view's side of the ClusterRevealer service: finds the cluster among the nodes it shows and selects it. */
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
  };
}
