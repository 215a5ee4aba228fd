import type * as vscode from 'vscode';
import { type FeatureContext } from '../ctx';
import { type UserInterface } from '../services/ui';
import { stopTailCommand, tailCommand } from './tailCommand';
import { LogFileHighlighter } from './logFileHighlighter';
import { TailManager } from './tailManager';

type TailHandler = (arg?: unknown) => Promise<vscode.Uri | undefined>;

/** Log tailing, built from what it needs; `register.ts` binds the handlers to commands. */
export interface Tailing {
  readonly manager: TailManager;
  /** The tail's highlighting in log files the user opens. */
  readonly logFiles: LogFileHighlighter;
  readonly envoy: TailHandler;
  readonly appAndEnvoy: TailHandler;
  readonly envoyForWorkload: TailHandler;
  readonly appAndEnvoyForWorkload: TailHandler;
  stop(): Promise<void>;
}

/** Everything created (the document provider, listeners, sessions, log-file marks) is owned by `ctx`. */
export function createTailing(ctx: FeatureContext, ui: UserInterface): Tailing {
  const manager = ctx.own(new TailManager(ctx));
  return {
    manager,
    logFiles: ctx.own(new LogFileHighlighter()),
    envoy: tailCommand(ctx, ui, manager, false, 'pod'),
    appAndEnvoy: tailCommand(ctx, ui, manager, true, 'pod'),
    envoyForWorkload: tailCommand(ctx, ui, manager, false, 'workload'),
    appAndEnvoyForWorkload: tailCommand(ctx, ui, manager, true, 'workload'),
    stop: stopTailCommand(manager),
  };
}
