import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { Configuration } from '../services/configuration';
import type { UserInterface } from '../services/ui';
import { BackgroundLint } from './backgroundLint';
import { ConnectTimeoutLensProvider } from './codeLensProvider';
import { CrossFileDiagnostics } from './crossFileDiagnostics';
import { DocumentLinter } from './documentLinter';
import { fixAllInWorkspaceCommand } from './fixAllInWorkspace';
import { manifestSelector } from './documentSelector';
import { LintWorkerClient } from './lintWorkerClient';
import { lintWorkspaceCommand } from './lintWorkspace';
import { RaiseConnectTimeoutQuickFix } from './quickFixProvider';
import { raiseConnectTimeoutHandler } from './raiseConnectTimeout';
import { DIAGNOSTIC_SOURCE } from './toVscode';
import { WorkspaceSettingsIndex } from './workspaceIndex';

/**
 * Connect-timeout linting in the editor: diagnostics, code lenses, quick fixes, precedence,
 * workspace lint. Returns the workspace's index of connect-timeout settings, which the extension
 * hands to the features that look settings up (the explorer's and the annotator's "find setting").
 */
/** The lint feature's command handlers, bound to ids in src/commands.ts. */
export interface LintCommands {
  readonly lintWorkspace: ReturnType<typeof lintWorkspaceCommand>;
  readonly raiseConnectTimeout: ReturnType<typeof raiseConnectTimeoutHandler>;
  readonly fixAllInWorkspace: ReturnType<typeof fixAllInWorkspaceCommand>;
}

export function registerLinting(ctx: Ctx, config: Configuration, ui: UserInterface): { readonly commands: LintCommands; readonly index: WorkspaceSettingsIndex } {
  const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  // Parsing runs on a worker thread so a large or hostile manifest never blocks the extension host.
  const worker = ctx.own(new LintWorkerClient());
  const linter = ctx.own(new DocumentLinter(worker, config, diagnostics, ctx.output));
  const index = ctx.own(new WorkspaceSettingsIndex(worker, linter, config, ctx.output));

  // Its own collection: the per-document lint replaces a document's diagnostics on every edit, these change with the workspace.
  const crossFile = ctx.own(new CrossFileDiagnostics(index, ctx.own(vscode.languages.createDiagnosticCollection(`${DIAGNOSTIC_SOURCE}-workspace`))));
  const lenses = ctx.own(new ConnectTimeoutLensProvider(linter, index, crossFile));
  ctx.own(vscode.languages.registerCodeLensProvider(manifestSelector, lenses));
  ctx.own(
    vscode.languages.registerCodeActionsProvider(manifestSelector, new RaiseConnectTimeoutQuickFix(linter), RaiseConnectTimeoutQuickFix.metadata),
  );
  // Files that are not open reach the Problems panel too (meshDoctor.lint.background).
  ctx.own(new BackgroundLint(worker, config, diagnostics, ctx.output));
  const commands: LintCommands = {
    lintWorkspace: lintWorkspaceCommand(worker, config, diagnostics, ctx.output),
    raiseConnectTimeout: raiseConnectTimeoutHandler(),
    fixAllInWorkspace: fixAllInWorkspaceCommand(worker, config, diagnostics, ctx.output, ui),
  };
  return { commands, index };
}
