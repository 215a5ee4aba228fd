import type { KubeSession } from '../kubeSession';
import type { MeshTreeProvider } from '../meshTreeProvider';
import type { ContextNode } from '../nodes';

/** Makes a context Mesh Doctor's active one (expanded first); the kubeconfig file is not touched. */
export async function switchActiveContext(session: KubeSession, provider: MeshTreeProvider, node: ContextNode): Promise<void> {
  await session.setActiveContext(node.context);
  provider.refresh();
}

/** `meshDoctor.mesh.switchContext` on a context node. */
export function switchContextCommand(session: KubeSession, provider: MeshTreeProvider): (node?: ContextNode) => Promise<void> {
  return async (node) => {
    if (node?.kind !== 'context') return;
    await switchActiveContext(session, provider, node);
  };
}
