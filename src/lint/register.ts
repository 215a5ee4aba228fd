import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { ConnectTimeoutLensProvider } from './codeLensProvider';
import { DocumentLinter } from './documentLinter';
import { manifestSelector } from './documentSelector';
import { LintWorkerClient } from './lintWorkerClient';
import { registerLintWorkspace } from './lintWorkspace';
import { MinimumSetting } from './minimumSetting';
import { RaiseConnectTimeoutQuickFix } from './quickFixProvider';
import { registerRaiseConnectTimeout } from './raiseConnectTimeout';
import { DIAGNOSTIC_SOURCE } from './toVscode';
import { WorkspaceSettingsIndex } from './workspaceIndex';

let workspaceIndex: WorkspaceSettingsIndex | undefined;

/** The workspace's connect timeout settings, for other features (the mesh explorer's "Find where this is set"). */
export function connectTimeoutIndex(): WorkspaceSettingsIndex | undefined {
  return workspaceIndex;
}

/** Connect-timeout linting in the editor: diagnostics, code lenses, quick fixes, precedence, workspace lint. */
export function registerLinting(ctx: Ctx): void {
  const minimum = ctx.own(new MinimumSetting());
  const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  // Parsing runs on a worker thread so a large or hostile manifest never blocks the extension host.
  const worker = ctx.own(new LintWorkerClient());
  const linter = ctx.own(new DocumentLinter(worker, minimum, diagnostics, ctx.output));
  const index = ctx.own(new WorkspaceSettingsIndex(worker, linter, minimum, ctx.output));
  workspaceIndex = index;
  ctx.own({ dispose: () => (workspaceIndex = undefined) });

  const lenses = ctx.own(new ConnectTimeoutLensProvider(linter, index));
  ctx.own(vscode.languages.registerCodeLensProvider(manifestSelector, lenses));
  ctx.own(
    vscode.languages.registerCodeActionsProvider(manifestSelector, new RaiseConnectTimeoutQuickFix(linter), RaiseConnectTimeoutQuickFix.metadata),
  );
  ctx.own(registerRaiseConnectTimeout());
  ctx.own(registerLintWorkspace(worker, minimum, diagnostics, ctx.output));
}
