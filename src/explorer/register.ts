import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ActiveContext } from '../services/activeContext';
import type { ClusterRevealer } from '../services/clusterRevealer';
import type { MeshMetrics } from '../services/meshMetrics';
import type { Configuration } from '../services/configuration';
import type { RaisedLevels } from '../services/raisedLevels';
import type { SettingLocator } from '../services/settingLocator';
import type { UserInterface } from '../services/ui';
import { CLUSTER_SCHEME, ClusterDocuments } from './clusterDocuments';
import { findSettingCommand } from './commands/findSetting';
import { lowTimeoutFilterCommands } from './commands/lowTimeoutFilter';
import { openClusterConfigCommand } from './commands/openClusterConfig';
import { refreshCommand } from './commands/refresh';
import { clusterRevealer } from './commands/revealCluster';
import { switchContextCommand } from './commands/switchContext';
import { KubeSession } from './kubeSession';
import { MeshModel } from './meshModel';
import { MeshTreeProvider } from './meshTreeProvider';
import type { MeshNode } from './nodes';
import { sessionAccess } from './sessionAccess';

export const MESH_VIEW_ID = 'meshDoctor.mesh';

/** The explorer's command handlers, bound to ids in src/commands.ts. */
export interface ExplorerCommands {
  readonly refresh: () => void;
  readonly showLowTimeoutsOnly: () => Promise<void>;
  readonly showAllClusters: () => Promise<void>;
  readonly switchContext: ReturnType<typeof switchContextCommand>;
  readonly openClusterConfig: ReturnType<typeof openClusterConfigCommand>;
  readonly findSetting: ReturnType<typeof findSettingCommand>;
}

/**
 * The Mesh view: contexts, namespaces, pods and their Envoy clusters, with problem badges from a
 * background scan (from `metrics`' Prometheus when it answers, else each pod's Envoy) and raised
 * log levels (from `raised`). Returns its commands, how other
 * features reveal a cluster or namespace in it, and the context it shows.
 */
export function registerMeshExplorer(
  ctx: Ctx,
  config: Configuration,
  settings: SettingLocator,
  ui: UserInterface,
  raised: RaisedLevels,
  metrics: MeshMetrics,
): { readonly commands: ExplorerCommands; readonly revealer: ClusterRevealer; readonly activeContext: ActiveContext } {
  const state = ctx.extension.globalState;
  const session = new KubeSession(state);
  const model = ctx.own(new MeshModel(sessionAccess(session), ctx.output, { minimumSeconds: () => config.minimum.seconds, metrics }));
  const provider = ctx.own(new MeshTreeProvider(model, () => config.minimum, raised));
  const view = ctx.own(vscode.window.createTreeView<MeshNode>(MESH_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true }));
  // The badge scan runs only while the view is visible: hiding it aborts the samples in flight.
  const scanWhileVisible = () => (view.visible ? model.badges.resume() : model.badges.pause());
  ctx.own(view.onDidChangeVisibility(scanWhileVisible));
  scanWhileVisible();
  const documents = new ClusterDocuments();
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(CLUSTER_SCHEME, documents));
  ctx.own(view.onDidCollapseElement((e) => provider.collapsed(e.element)));
  ctx.own(config.onDidChange(['kubeconfig', 'transport', 'kubectlPath', 'requestTimeoutSeconds'], () => provider.refresh()));
  ctx.own(config.onDidChange(['connectTimeout.minimum'], () => provider.minimumChanged()));
  const filter = lowTimeoutFilterCommands(provider, view, state);
  const commands: ExplorerCommands = {
    refresh: refreshCommand(provider),
    showLowTimeoutsOnly: filter.on,
    showAllClusters: filter.off,
    switchContext: switchContextCommand(session, provider),
    openClusterConfig: openClusterConfigCommand(documents),
    findSetting: findSettingCommand(settings, ui),
  };
  return { commands, revealer: clusterRevealer(provider, view, ui), activeContext: { current: () => session.activeContext(), onDidChange: (listener) => session.onDidChangeActiveContext(listener) } };
}
