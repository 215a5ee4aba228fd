import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { createOverview, type OverviewCommands, type OverviewServices } from './feature';
import type { OverviewNode } from './nodes';

export const OVERVIEW_VIEW_ID = 'meshDoctor.overview';

/**
 * The Mesh Overview view: refreshed while visible (nothing runs while hidden), with the view's
 * progress bar while Prometheus is asked. Returns its commands.
 */
export function registerOverview(ctx: Ctx, services: OverviewServices): OverviewCommands {
  const overview = createOverview(ctx, services);
  const view = ctx.own(vscode.window.createTreeView<OverviewNode>(OVERVIEW_VIEW_ID, { treeDataProvider: overview.provider }));
  const model = overview.model;
  let showing = false;
  ctx.own(
    model.onDidChange(() => {
      if (!model.busy || showing) return;
      showing = true;
      const done = new Promise<void>((resolve) => {
        const listener = model.onDidChange(() => {
          if (model.busy) return;
          listener.dispose();
          resolve();
        });
      });
      void vscode.window.withProgress({ location: { viewId: OVERVIEW_VIEW_ID } }, () => done).then(() => (showing = false));
    }),
  );
  ctx.own(view.onDidChangeVisibility((e) => model.setVisible(e.visible)));
  model.setVisible(view.visible);
  return overview.commands;
}
