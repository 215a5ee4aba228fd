import { formatDuration } from '../../core/duration';
import type { SettingLocator } from '../../services/settingLocator';
import type { ClusterNode } from '../nodes';
import type { UserInterface } from '../../services/ui';

function nothingSetsIt(node: ClusterNode): string {
  const row = node.cluster;
  const value = row.connectTimeoutSeconds === null ? 'an unknown value' : formatDuration(row.connectTimeoutSeconds);
  const source = row.connectTimeoutSeconds === 10 ? "Istio's default 10s" : `${value}, the mesh-wide value (meshConfig.connectTimeout) or a DestinationRule in the cluster`;
  return `Cluster ${row.name} uses ${source}; no manifest in this workspace sets it.`;
}

/** "Find where this is set" on a cluster node: opens the manifest and selects the value. */
export function findSettingCommand(locator: SettingLocator, ui: UserInterface): (node?: ClusterNode) => Promise<void> {
  return async (node) => {
    if (node?.kind !== 'cluster') return;
    if (node.cluster.isStatic) {
      void ui.notify('info', `Cluster ${node.cluster.name} comes from the Istio proxy's bootstrap; no manifest sets its connect timeout.`);
      return;
    }
    const opened = await locator.revealConnectTimeoutSetting(node.cluster.host, node.pod.namespace);
    if (!opened) void ui.notify('info', nothingSetsIt(node));
  };
}
