import * as vscode from 'vscode';
import { invalidContextPatterns, matchingProtectedPattern } from '../core/envoyLogging/protectedContexts';
import { notificationText } from '../core/text/markupEscape';

/** Asks the user to confirm a change; resolves true to go ahead. */
export type ConfirmChange = (message: string, detail: string, action: string) => Promise<boolean>;

/** The real modal dialog. Context names and patterns come from files, so both texts are escaped. */
export const modalConfirm: ConfirmChange = async (message, detail, action) =>
  (await vscode.window.showWarningMessage(notificationText(message), { modal: true, detail: notificationText(detail) }, action)) === action;

/**
 * Holds the confirmation function so integration tests can answer the dialog (a modal cannot be
 * clicked from the extension host): the extension's exports hand tests `setConfirm`.
 */
export class ProtectedContextGuard {
  private confirm: ConfirmChange = modalConfirm;

  setConfirm(fn: ConfirmChange | undefined): void {
    this.confirm = fn ?? modalConfirm;
  }

  /** True when `context` is not protected, or the user confirmed the change. */
  async allow(context: string, patterns: readonly string[], what: string): Promise<boolean> {
    const invalid = invalidContextPatterns(patterns);
    if (invalid.length > 0) {
      // A broken entry may have been meant to protect this context: ask rather than guess.
      return this.confirm(
        `meshDoctor.protectedContexts has entries that are not valid patterns (${invalid.map((i) => `${i.pattern}: ${i.reason}`).join('; ')}). ${what} in "${context}"?`,
        'Fix the setting: each entry is a glob such as *prod*, or a regular expression between slashes without backreferences or lookaround.',
        'Change Log Levels',
      );
    }
    const pattern = matchingProtectedPattern(context, patterns);
    if (!pattern) return true;
    return this.confirm(
      `"${context}" is a protected context. ${what}?`,
      `It matches "${pattern}" in meshDoctor.protectedContexts. The change is restored automatically after meshDoctor.debugLogging.autoRevertMinutes.`,
      'Change Log Levels',
    );
  }
}
