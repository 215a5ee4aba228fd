import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ClusterRevealer } from '../services/clusterRevealer';
import type { Configuration } from '../services/configuration';
import type { SettingLocator } from '../services/settingLocator';
import { vscodeUserInterface } from '../services/ui';
import { CLUSTER_SCHEME, ClusterDocuments } from './clusterDocuments';
import { registerFindSetting } from './commands/findSetting';
import { registerLowTimeoutFilter } from './commands/lowTimeoutFilter';
import { registerOpenClusterConfig } from './commands/openClusterConfig';
import { registerRefresh } from './commands/refresh';
import { clusterRevealer } from './commands/revealCluster';
import { registerSwitchContext } from './commands/switchContext';
import { KubeSession } from './kubeSession';
import { MeshModel } from './meshModel';
import { MeshTreeProvider } from './meshTreeProvider';
import type { MeshNode } from './nodes';
import { sessionAccess } from './sessionAccess';

export const MESH_VIEW_ID = 'meshDoctor.mesh';

/** The Mesh view: contexts, namespaces, pods and their Envoy clusters. Returns how other features reveal a cluster in it. */
export function registerMeshExplorer(ctx: Ctx, config: Configuration, settings: SettingLocator): ClusterRevealer {
  const state = ctx.extension.globalState;
  const session = new KubeSession(state);
  const model = ctx.own(new MeshModel(sessionAccess(session), ctx.output));
  const provider = ctx.own(new MeshTreeProvider(model, () => config.minimum));
  const view = ctx.own(vscode.window.createTreeView<MeshNode>(MESH_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true }));
  const documents = new ClusterDocuments();
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(CLUSTER_SCHEME, documents));
  ctx.own(view.onDidCollapseElement((e) => provider.collapsed(e.element)));
  ctx.own(config.onDidChange(['kubeconfig', 'transport', 'kubectlPath', 'requestTimeoutSeconds'], () => provider.refresh()));
  ctx.own(config.onDidChange(['connectTimeout.minimum'], () => provider.minimumChanged()));
  ctx.own(registerRefresh(provider));
  ctx.own(registerLowTimeoutFilter(provider, view, state));
  ctx.own(registerSwitchContext(session, provider));
  ctx.own(registerOpenClusterConfig(documents));
  ctx.own(registerFindSetting(settings));
  return clusterRevealer(provider, view, vscodeUserInterface);
}
