import * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerAnnotator } from './annotator/register';
import { registerLinting } from './lint/register';
import { registerMeshExplorer } from './explorer/register';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerLinting(ctx);
  registerMeshExplorer(ctx);
  registerAnnotator(ctx);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
