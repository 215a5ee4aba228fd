import type { MeshTreeProvider } from '../meshTreeProvider';

/** `meshDoctor.mesh.refresh`: drops every watch and cached row, and lists again. */
export function refreshCommand(provider: MeshTreeProvider): () => void {
  return () => provider.refresh();
}
