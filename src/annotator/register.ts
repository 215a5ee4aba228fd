import * as vscode from 'vscode';
import { readConfig } from '../config';
import type { Ctx } from '../ctx';
import type { ClusterRevealer } from '../services/clusterRevealer';
import type { SettingLocator } from '../services/settingLocator';
import type { UserInterface } from '../services/ui';
import { annotateResetsCommand } from './annotateResetsCommand';
import { AnnotatorPanels } from './annotatorPanels';
import { createClusterAccess } from './clusterAccess';
import { annotatorLinks } from './links';
import { LiveLogDocuments } from './liveLogDocuments';
import { ANNOTATOR_VIEW_TYPE } from './protocol';

/** What the annotator takes from the rest of the extension. */
export interface AnnotatorServices {
  /** "Find where this is set": the lint feature's index of the workspace's manifests. */
  readonly settings: SettingLocator;
  /** "Show cluster in Mesh tree": the Mesh view. */
  readonly clusters: ClusterRevealer;
  readonly ui: UserInterface;
}

/** The annotator's command handler, bound to its id in src/commands.ts. */
export interface AnnotatorCommands {
  readonly annotateResets: ReturnType<typeof annotateResetsCommand>;
}

export function registerAnnotator(ctx: Ctx, services: AnnotatorServices): AnnotatorCommands {
  const { ui } = services;
  const panels = ctx.own(new AnnotatorPanels(ctx.extension.extensionUri, annotatorLinks(services), ctx.output, ctx.extension.workspaceState, ui));
  ctx.own(
    vscode.window.registerWebviewPanelSerializer(ANNOTATOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel, state: unknown) => panels.restore(webviewPanel, state),
    }),
  );
  const documents = ctx.own(new LiveLogDocuments());
  // Cluster access is opened on first live use, so annotating files never loads a kubeconfig.
  const clusterAccess = () => createClusterAccess(readConfig());
  return { annotateResets: annotateResetsCommand({ log: ctx.output, ui, panels, documents, clusterAccess }) };
}
