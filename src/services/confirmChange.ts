import { invalidContextPatterns, matchingProtectedPattern } from '../core/envoyLogging/protectedContexts';
import type { UserInterface } from './ui';

/** A question to put to the user before a change. */
export interface Question {
  readonly message: string;
  readonly detail: string;
}

export const CONFIRM_ACTION = 'Change Log Levels';

/**
 * What to ask before `what` in `context`, or undefined when the context is not protected. A broken
 * entry may have been meant to protect this context, so invalid patterns are asked about rather
 * than guessed.
 */
export function protectedContextQuestion(context: string, patterns: readonly string[], what: string): Question | undefined {
  const invalid = invalidContextPatterns(patterns);
  if (invalid.length > 0) {
    return {
      message: `meshDoctor.protectedContexts has entries that are not valid patterns (${invalid.map((i) => `${i.pattern}: ${i.reason}`).join('; ')}). ${what} in "${context}"?`,
      detail: 'Fix the setting: each entry is a glob such as *prod*, or a regular expression between slashes without backreferences or lookaround.',
    };
  }
  const pattern = matchingProtectedPattern(context, patterns);
  if (!pattern) return undefined;
  return {
    message: `"${context}" is a protected context. ${what}?`,
    detail: `It matches "${pattern}" in meshDoctor.protectedContexts. The change is restored automatically after meshDoctor.debugLogging.autoRevertMinutes.`,
  };
}

/** True when `context` is not protected, or the user confirmed the change (the UI escapes the texts). */
export async function allowChange(ui: UserInterface, context: string, patterns: readonly string[], what: string): Promise<boolean> {
  const question = protectedContextQuestion(context, patterns, what);
  return question === undefined || ui.confirm(question.message, question.detail, CONFIRM_ACTION);
}
