import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { type UserInterface } from '../services/ui';
import { createDebugLogging } from './feature';
import { HEARTBEAT_STALE_MS } from './raisedStore';
import { SHOW_RAISED_COMMAND } from './statusBar';

export function registerDebugLogging(ctx: Ctx, ui: UserInterface): void {
  const statusBarItem = ctx.own(vscode.window.createStatusBarItem('meshDoctor.debugLogging', vscode.StatusBarAlignment.Left, 50));
  const feature = createDebugLogging(ctx, ui, ctx.extension.globalState, statusBarItem);
  const reg = (id: string, fn: (...args: never[]) => unknown): void => void ctx.own(vscode.commands.registerCommand(id, fn));
  reg('meshDoctor.debugLogging.enable', feature.enable);
  reg('meshDoctor.debugLogging.enableForWorkload', feature.enableForWorkload);
  reg('meshDoctor.debugLogging.restore', feature.restore);
  reg('meshDoctor.debugLogging.restoreAll', feature.restoreAll);
  reg(SHOW_RAISED_COMMAND, feature.showRaised);
  // Not awaited: activation must not wait on a cluster; failures are reported by the recovery itself.
  const recover = (): void => void feature.recover().catch((err: unknown) => ctx.output.error(`Recovering raised Envoy log levels failed: ${String(err)}`));
  recover();
  // A window that crashed moments ago still has a fresh heartbeat; look again once it has gone stale.
  const later = setTimeout(recover, HEARTBEAT_STALE_MS + 5_000);
  ctx.own({ dispose: () => clearTimeout(later) });
}
