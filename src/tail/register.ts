import { type Ctx } from '../ctx';
import { type UserInterface } from '../services/ui';
import { createTailing, type Tailing } from './feature';

/** Log tailing; its handlers are bound to ids in src/commands.ts. */
export function registerTailing(ctx: Ctx, ui: UserInterface): Tailing {
  return createTailing(ctx, ui);
}
