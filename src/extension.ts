import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerAnnotator } from './annotator/register';
import { registerLinting } from './lint/register';
import { registerMeshExplorer } from './explorer/register';
import { DebugLoggingTestApi, registerDebugLogging } from './debugLogging/register';
import { TailTestApi, registerTailing } from './tail/register';
import { workspaceSettingLocator } from './lint/settingLocator';
import { Configuration } from './services/configuration';
import { vscodeUserInterface } from './services/ui';

let ctx: Ctx | undefined;

/** What activate returns: hooks for integration tests (answering the protected-context dialog, reading tails). */
export interface MeshDoctorExports {
  readonly debugLogging: DebugLoggingTestApi;
  readonly tail: TailTestApi;
}

export function activate(context: vscode.ExtensionContext): MeshDoctorExports {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  const config = ctx.own(new Configuration());
  const settingsIndex = registerLinting(ctx, config);
  const settings = workspaceSettingLocator(settingsIndex);
  const clusters = registerMeshExplorer(ctx, config, settings);
  registerAnnotator(ctx, { settings, clusters, ui: vscodeUserInterface });
  const debugLogging = registerDebugLogging(ctx);
  const tail = registerTailing(ctx);
  return { debugLogging, tail };
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
