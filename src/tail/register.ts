import * as vscode from 'vscode';
import { Ctx } from '../ctx';
import { stopTailCommand, tailCommand } from './tailCommand';
import { TailManager } from './tailManager';

/** What the extension exports for integration tests: the tails' text and computed highlights. */
export interface TailTestApi {
  readonly manager: TailManager;
}

export function registerTailing(ctx: Ctx): TailTestApi {
  const manager = ctx.own(new TailManager(ctx));
  const reg = (id: string, fn: (...args: never[]) => unknown): void => void ctx.own(vscode.commands.registerCommand(id, fn));
  reg('meshDoctor.tail.envoy', tailCommand(ctx, manager, false, 'pod'));
  reg('meshDoctor.tail.appAndEnvoy', tailCommand(ctx, manager, true, 'pod'));
  reg('meshDoctor.tail.envoyForWorkload', tailCommand(ctx, manager, false, 'workload'));
  reg('meshDoctor.tail.appAndEnvoyForWorkload', tailCommand(ctx, manager, true, 'workload'));
  reg('meshDoctor.tail.stop', stopTailCommand(manager));
  return { manager };
}
