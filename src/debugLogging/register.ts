import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Ctx } from '../ctx';
import { AutoReverter } from './autoRevert';
import { ConfirmChange, ProtectedContextGuard } from './confirm';
import { enableDebugLoggingCommand } from './enableCommand';
import { HEARTBEAT_STALE_MS, RaisedStore } from './raisedStore';
import { recoverRaisedLevels } from './recover';
import { restoreAllCommand, restoreCommand, showRaisedCommand } from './restoreCommands';
import { RaisedStatusBar, SHOW_RAISED_COMMAND } from './statusBar';

/** What the extension exports for integration tests: answer the protected-context dialog, read state. */
export interface DebugLoggingTestApi {
  setConfirm(fn: ConfirmChange | undefined): void;
  readonly store: RaisedStore;
  statusBarText(): string;
}

export function registerDebugLogging(ctx: Ctx): DebugLoggingTestApi {
  // Our own id, not vscode.env.sessionId: code-server gives every window the same placeholder.
  const store = ctx.own(new RaisedStore(ctx.extension.globalState, randomUUID()));
  const guard = new ProtectedContextGuard();
  const statusBar = ctx.own(new RaisedStatusBar(store));
  ctx.own(new AutoReverter(ctx, store));
  const reg = (id: string, fn: (...args: never[]) => unknown): void => void ctx.own(vscode.commands.registerCommand(id, fn));
  reg('meshDoctor.debugLogging.enable', enableDebugLoggingCommand(ctx, store, guard, 'pod'));
  reg('meshDoctor.debugLogging.enableForWorkload', enableDebugLoggingCommand(ctx, store, guard, 'workload'));
  reg('meshDoctor.debugLogging.restore', restoreCommand(ctx, store));
  reg('meshDoctor.debugLogging.restoreAll', restoreAllCommand(ctx, store));
  reg(SHOW_RAISED_COMMAND, showRaisedCommand(ctx, store));
  reg('meshDoctor.internal.recoverRaisedLevels', (includeMine?: boolean) => recoverRaisedLevels(ctx, store, includeMine === true));
  // Not awaited: activation must not wait on a cluster; failures are reported by the recovery itself.
  const recover = (): void => void recoverRaisedLevels(ctx, store).catch((err: unknown) => ctx.output.error(`Recovering raised Envoy log levels failed: ${String(err)}`));
  recover();
  // A window that crashed moments ago still has a fresh heartbeat; look again once it has gone stale.
  const later = setTimeout(recover, HEARTBEAT_STALE_MS + 5_000);
  ctx.own({ dispose: () => clearTimeout(later) });
  return { setConfirm: (fn) => guard.setConfirm(fn), store, statusBarText: () => statusBar.text };
}
