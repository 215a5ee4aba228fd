import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { type FeatureContext } from '../ctx';
import { type UserInterface } from '../services/ui';
import { AutoReverter } from './autoRevert';
import { type EnableOptions } from './chooseChange';
import { type EnableResult, enableDebugLoggingCommand } from './enableCommand';
import { RaisedStore } from './raisedStore';
import { recoverRaisedLevels } from './recover';
import { restoreAllCommand, restoreCommand, showRaisedCommand } from './restoreCommands';
import { type RestoreSummary } from './restoreRaised';
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
 * `state` keeps the raised pods across restarts (the extension's globalState, shared by every
 * window); `statusBarItem` shows this window's raised pods. Everything created is owned by `ctx`.
 */
export function createDebugLogging(ctx: FeatureContext, ui: UserInterface, state: vscode.Memento, statusBarItem: vscode.StatusBarItem): DebugLogging {
  // Our own id, not vscode.env.sessionId: code-server gives every window the same placeholder.
  const store = ctx.own(new RaisedStore(state, randomUUID()));
  ctx.own(new RaisedStatusBar(ctx, store, statusBarItem));
  ctx.own(new AutoReverter(ctx, ui, store));
  return {
    store,
    enable: enableDebugLoggingCommand(ctx, ui, store, 'pod'),
    enableForWorkload: enableDebugLoggingCommand(ctx, ui, store, 'workload'),
    restore: restoreCommand(ctx, ui, store),
    restoreAll: restoreAllCommand(ctx, ui, store),
    showRaised: showRaisedCommand(ctx, ui, store),
    recover: () => recoverRaisedLevels(ctx, ui, store),
  };
}
