import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ANNOTATE_RESETS_COMMAND, annotateResetsCommand } from './annotateResetsCommand';
import { AnnotatorPanels } from './annotatorPanels';
import { createClusterAccess } from './clusterAccess';
import { handleAnnotatorLink } from './links';
import { LiveLogDocuments } from './liveLogDocuments';

/** Test hook: the run the panel last showed and what its webview reported rendering. */
export const ANNOTATOR_SNAPSHOT_COMMAND = 'meshDoctor.internal.annotatorSnapshot';
/** Test hook: handles a message as if the panel's webview had posted it (validation included). */
export const ANNOTATOR_MESSAGE_COMMAND = 'meshDoctor.internal.annotatorMessage';

export function registerAnnotator(ctx: Ctx): void {
  const panels = ctx.own(new AnnotatorPanels(ctx.extension.extensionUri, handleAnnotatorLink, ctx.output, ctx.extension.workspaceState));
  const documents = ctx.own(new LiveLogDocuments());
  ctx.own(
    vscode.commands.registerCommand(
      ANNOTATE_RESETS_COMMAND,
      annotateResetsCommand({ ctx, panels, documents, clusterAccess: createClusterAccess }),
    ),
  );
  ctx.own(vscode.commands.registerCommand(ANNOTATOR_SNAPSHOT_COMMAND, () => panels.snapshot()));
  ctx.own(vscode.commands.registerCommand(ANNOTATOR_MESSAGE_COMMAND, (raw: unknown) => panels.current()?.receive(raw)));
}
