import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { type UserInterface } from '../services/ui';
import { createTailing } from './feature';

export function registerTailing(ctx: Ctx, ui: UserInterface): void {
  const tailing = createTailing(ctx, ui);
  const reg = (id: string, fn: (...args: never[]) => unknown): void => void ctx.own(vscode.commands.registerCommand(id, fn));
  reg('meshDoctor.tail.envoy', tailing.envoy);
  reg('meshDoctor.tail.appAndEnvoy', tailing.appAndEnvoy);
  reg('meshDoctor.tail.envoyForWorkload', tailing.envoyForWorkload);
  reg('meshDoctor.tail.appAndEnvoyForWorkload', tailing.appAndEnvoyForWorkload);
  reg('meshDoctor.tail.stop', tailing.stop);
}
