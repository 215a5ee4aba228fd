import type * as vscode from 'vscode';
import { registerAnnotator } from './annotator/register';
import { commandTable, COMMAND_IDS } from './commands';
import { Ctx } from './ctx';
import { registerDebugLogging } from './debugLogging/register';
import { createDiagnose } from './diagnose/feature';
import { registerMeshExplorer } from './explorer/register';
import { registerLinting } from './lint/register';
import { workspaceSettingLocator, workspaceSettingSites } from './lint/settingLocator';
import { registerOverview } from './overview/register';
import { SettingsPrometheus } from './overview/settingsPrometheus';
import { Configuration } from './services/configuration';
import { createEnvoyLogRaiser } from './services/envoyLogRaiser';
import { RaisedLevels } from './services/raisedLevels';
import { vscodeUserInterface } from './services/ui';
import { registerTailing } from './tail/register';

let ctx: Ctx | undefined;

/** Builds the services once, then each feature from the services it needs, then registers the one command table. */
export function activate(context: vscode.ExtensionContext): void {
  ctx = new Ctx(context);
  const ui = vscodeUserInterface;
  const config = ctx.own(new Configuration());
  const lint = registerLinting(ctx, config, ui);
  const settings = workspaceSettingLocator(lint.index);
  const raised = ctx.own(new RaisedLevels());
  const prometheus = ctx.own(new SettingsPrometheus(config, context.secrets));
  const explorer = registerMeshExplorer(ctx, config, settings, ui, raised, prometheus);
  const annotator = registerAnnotator(ctx, { settings, clusters: explorer.revealer, ui });
  const raiser = createEnvoyLogRaiser(ctx, context.globalState);
  const debugLogging = registerDebugLogging(ctx, ui, raiser, raised);
  const tailing = registerTailing(ctx, ui);
  const diagnose = createDiagnose(ctx, ui, config, workspaceSettingSites(lint.index), raiser);
  const overview = registerOverview(ctx, { config, ui, revealer: explorer.revealer, activeContext: explorer.activeContext, prometheus });
  const table = commandTable({ lint: lint.commands, explorer: explorer.commands, annotator, debugLogging, tailing, diagnose, overview });
  for (const id of COMMAND_IDS) ctx.registerCommand(id, table[id]);
}

/** Disposes everything the extension owns, once. */
export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
