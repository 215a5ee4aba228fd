import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerAnnotator } from './annotator/register';
import { registerLinting } from './lint/register';
import { registerMeshExplorer } from './explorer/register';
import { DebugLoggingTestApi, registerDebugLogging } from './debugLogging/register';
import { TailTestApi, registerTailing } from './tail/register';

let ctx: Ctx | undefined;

/** What activate returns: hooks for integration tests (answering the protected-context dialog, reading tails). */
export interface MeshDoctorExports {
  readonly debugLogging: DebugLoggingTestApi;
  readonly tail: TailTestApi;
}

export function activate(context: vscode.ExtensionContext): MeshDoctorExports {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerLinting(ctx);
  registerMeshExplorer(ctx);
  registerAnnotator(ctx);
  const debugLogging = registerDebugLogging(ctx);
  const tail = registerTailing(ctx);
  return { debugLogging, tail };
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
