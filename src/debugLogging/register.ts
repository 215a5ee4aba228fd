import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import type { EnvoyLogRaiser } from '../services/envoyLogRaiser';
import type { RaisedLevels } from '../services/raisedLevels';
import { type UserInterface } from '../services/ui';
import { createDebugLogging, type DebugLogging } from './feature';
import { HEARTBEAT_STALE_MS } from '../services/raisedStore';

/** Debug logging with its recovery scheduled, publishing its raised pods to `raised`; its handlers are bound to ids in src/commands.ts. */
export function registerDebugLogging(ctx: Ctx, ui: UserInterface, raiser: EnvoyLogRaiser, raised: RaisedLevels): DebugLogging {
  const statusBarItem = ctx.own(vscode.window.createStatusBarItem('meshDoctor.debugLogging', vscode.StatusBarAlignment.Left, 50));
  const feature = createDebugLogging(ctx, ui, raiser, statusBarItem);
  // Every window's records (globalState is shared), so a pod raised from another window is marked too.
  const publish = () => raised.publish(feature.store.all().map((r) => ({ pod: r.pod, revertAt: r.revertAt, description: r.description })));
  ctx.own(feature.store.onDidChange(publish));
  publish();
  // Not awaited: activation must not wait on a cluster; failures are reported by the recovery itself.
  const recover = (): void => void feature.recover().catch((err: unknown) => ctx.output.error(`Recovering raised Envoy log levels failed: ${String(err)}`));
  recover();
  // A window that crashed moments ago still has a fresh heartbeat; look again once it has gone stale.
  const later = setTimeout(recover, HEARTBEAT_STALE_MS + 5_000);
  ctx.own({ dispose: () => clearTimeout(later) });
  return feature;
}
