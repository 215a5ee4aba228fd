import type * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerAnnotator } from './annotator/register';
import { registerLinting } from './lint/register';
import { registerMeshExplorer } from './explorer/register';
import { registerDebugLogging } from './debugLogging/register';
import { registerTailing } from './tail/register';
import { workspaceSettingLocator } from './lint/settingLocator';
import { Configuration } from './services/configuration';
import { vscodeUserInterface } from './services/ui';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  const config = ctx.own(new Configuration());
  const settingsIndex = registerLinting(ctx, config);
  const settings = workspaceSettingLocator(settingsIndex);
  const clusters = registerMeshExplorer(ctx, config, settings);
  registerAnnotator(ctx, { settings, clusters, ui: vscodeUserInterface });
  registerDebugLogging(ctx, vscodeUserInterface);
  registerTailing(ctx, vscodeUserInterface);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
