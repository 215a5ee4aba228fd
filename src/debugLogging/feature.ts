import type * as vscode from 'vscode';
import { type FeatureContext } from '../ctx';
import { type UserInterface } from '../services/ui';
import { AutoReverter } from './autoRevert';
import { type EnableOptions } from './chooseChange';
import { type EnableResult, enableDebugLoggingCommand } from './enableCommand';
import { type RaisedStore } from '../services/raisedStore';
import { type EnvoyLogRaiser } from '../services/envoyLogRaiser';
import { recoverRaisedLevels } from './recover';
import { restoreAllCommand, restoreCommand, showRaisedCommand } from './restoreCommands';
import { type RestoreSummary } from '../services/restoreRaised';
import { RaisedStatusBar } from './statusBar';

/** Envoy debug logging, built from what it needs; `register.ts` binds the handlers to commands. */
export interface DebugLogging {
  readonly store: RaisedStore;
  enable(arg?: unknown, options?: EnableOptions): Promise<EnableResult | undefined>;
  enableForWorkload(arg?: unknown, options?: EnableOptions): Promise<EnableResult | undefined>;
  restore(arg?: unknown): Promise<RestoreSummary | undefined>;
  restoreAll(): Promise<RestoreSummary | undefined>;
  showRaised(): Promise<void>;
  /** Restores what windows that closed or crashed left raised. */
  recover(): Promise<RestoreSummary>;
}

/**
 * `raiser` (the service, shared with Diagnose) raises and keeps the raised pods across restarts;
 * `statusBarItem` shows this window's raised pods. Everything created is owned by `ctx`.
 */
export function createDebugLogging(ctx: FeatureContext, ui: UserInterface, raiser: EnvoyLogRaiser, statusBarItem: vscode.StatusBarItem): DebugLogging {
  const { store } = raiser;
  ctx.own(new RaisedStatusBar(ctx, store, statusBarItem));
  ctx.own(new AutoReverter(ctx, ui, store));
  return {
    store,
    enable: enableDebugLoggingCommand(ctx, ui, raiser, 'pod'),
    enableForWorkload: enableDebugLoggingCommand(ctx, ui, raiser, 'workload'),
    restore: restoreCommand(ctx, ui, store),
    restoreAll: restoreAllCommand(ctx, ui, store),
    showRaised: showRaisedCommand(ctx, ui, store),
    recover: () => recoverRaisedLevels(ctx, ui, store),
  };
}
