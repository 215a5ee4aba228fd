import * as vscode from 'vscode';
import { iconSafeText, notificationText } from '../core/text/markupEscape';

/**
 * Every question and message the extension puts to the user goes through this seam (as
 * vscode-kubernetes-tools' host interface does), so the product has one place that escapes
 * untrusted text for VS Code's renderers, and integration tests replace the UI instead of the
 * product: a modal dialog cannot be answered from the extension host, a scripted UI can.
 */
export interface UserInterface {
  /** A modal question; resolves true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A notification with optional buttons; resolves to the button chosen, if any. */
  notify<T extends string>(severity: 'info' | 'warning' | 'error', message: string, ...buttons: T[]): Promise<T | undefined>;
  /** A quick pick; resolves to the chosen item, or undefined when dismissed. */
  pick<T extends PickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** A quick pick with checkboxes (items with `picked` start checked); undefined when dismissed. */
  pickMany<T extends PickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined>;
  /**
   * A line of text typed by the user (`password`: shown masked); undefined when dismissed. The
   * answer is never escaped or echoed: it may be a secret.
   */
  input(options: InputOptions): Promise<string | undefined>;
  /** A cancellable progress notification around `task`. */
  withProgress<R>(title: string, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<R>): Promise<R>;
  /** A save dialog; resolves to the file chosen, or undefined when dismissed. */
  chooseSaveFile(title: string, defaultUri: vscode.Uri | undefined, filters: Readonly<Record<string, string[]>>): Promise<vscode.Uri | undefined>;
}

export interface InputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly password?: boolean;
  /** An error for an unacceptable answer (shown under the box), undefined when it is acceptable. */
  readonly validate?: (value: string) => string | undefined;
}

/**
 * A quick-pick item; `icon` is a codicon name shown before the label. Labels render `$(name)` as
 * an icon and are escaped by the seam, so an icon cannot be written into the label itself.
 */
export type PickItem = vscode.QuickPickItem & { readonly icon?: string };

/** What VS Code is shown for `item`: the texts escaped, the icon in front, and its index to map the answer back. */
function shownItem(item: PickItem, index: number): vscode.QuickPickItem & { index: number } {
  const escape = (text: string | undefined): string | undefined => (text === undefined ? undefined : iconSafeText(text));
  return {
    ...item,
    label: `${item.icon ? `$(${item.icon}) ` : ''}${iconSafeText(item.label)}`,
    description: escape(item.description),
    detail: escape(item.detail),
    index,
  };
}

/** The real VS Code UI. Messages, details, progress reports and pick items may quote untrusted text: all are escaped here. */
export const vscodeUserInterface: UserInterface = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(notificationText(message), { modal: true, detail: notificationText(detail) }, action)) === action;
  },
  async notify(severity, message, ...buttons) {
    const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(notificationText(message), ...buttons);
  },
  async pick<T extends PickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions): Promise<T | undefined> {
    // VS Code renders `$(name)` in labels as icons: it is shown escaped, and the caller gets its own
    // item back. A promise is passed on as one, so the pick shows its busy state while items load.
    let list: readonly T[] = [];
    const shown = Promise.resolve(items).then((loaded) => {
      list = loaded;
      return loaded.map(shownItem);
    });
    const chosen = await vscode.window.showQuickPick(shown, { ...options, canPickMany: false });
    return chosen === undefined ? undefined : list[chosen.index];
  },
  async pickMany<T extends PickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined> {
    const chosen = await vscode.window.showQuickPick(items.map(shownItem), { ...options, canPickMany: true });
    return chosen?.map((c) => items[c.index]);
  },
  async input(options) {
    return vscode.window.showInputBox({
      title: notificationText(options.title),
      prompt: notificationText(options.prompt),
      password: options.password === true,
      ignoreFocusOut: true,
      validateInput: options.validate,
    });
  },
  withProgress(title, task) {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: notificationText(title), cancellable: true }, (progress, token) =>
        // Progress messages render like notifications and may name pods or files: escaped as well.
        task({ report: (value) => progress.report(value.message === undefined ? value : { ...value, message: notificationText(value.message) }) }, token),
      ),
    );
  },
  async chooseSaveFile(title, defaultUri, filters) {
    return vscode.window.showSaveDialog({ title, ...(defaultUri ? { defaultUri } : {}), filters: { ...filters } });
  },
};

/**
 * Runs `task` with an AbortSignal that follows `token` (a progress notification's Cancel), and
 * disposes the cancellation listener when the task ends, so a finished task holds nothing.
 */
export async function abortOnCancel<R>(token: vscode.CancellationToken, task: (signal: AbortSignal) => Promise<R>): Promise<R> {
  const abort = new AbortController();
  const listener = token.onCancellationRequested(() => abort.abort());
  try {
    return await task(abort.signal);
  } finally {
    listener.dispose();
  }
}
