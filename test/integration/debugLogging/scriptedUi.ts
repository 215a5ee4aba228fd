import * as vscode from 'vscode';
import type { FeatureContext } from '../../../src/ctx';
import type { PickItem, UserInterface } from '../../../src/services/ui';

export interface Notification {
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
}

/** Chooses from a pick's items (undefined dismisses it). */
export type Chooser = (items: readonly PickItem[], options: vscode.QuickPickOptions) => PickItem | readonly PickItem[] | undefined;

/**
 * The UI a test gives a feature instead of VS Code's: it answers confirmations with `confirmAnswer`,
 * records every question and notification, and answers picks from a queue (dismissed when empty).
 * Progress runs the task at once with a real cancellation token.
 */
export class ScriptedUi implements UserInterface {
  readonly questions: { message: string; detail: string }[] = [];
  readonly notifications: Notification[] = [];
  readonly pickTitles: string[] = [];
  confirmAnswer = false;
  private readonly choosers: Chooser[] = [];

  /** Answers the next pick (or multi-pick) with `chooser`. */
  answerPick(chooser: Chooser): void {
    this.choosers.push(chooser);
  }

  async confirm(message: string, detail: string): Promise<boolean> {
    this.questions.push({ message, detail });
    return this.confirmAnswer;
  }

  async notify<T extends string>(severity: 'info' | 'warning' | 'error', message: string): Promise<T | undefined> {
    this.notifications.push({ severity, message });
    return undefined;
  }

  async pick<T extends PickItem>(items: readonly T[] | Promise<readonly T[]>, options: vscode.QuickPickOptions): Promise<T | undefined> {
    const chosen = this.choose(await items, options);
    return chosen as T | undefined;
  }

  async pickMany<T extends PickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined> {
    const chosen = this.choose(items, options);
    return chosen === undefined ? undefined : ((Array.isArray(chosen) ? chosen : [chosen]) as T[]);
  }

  async withProgress<R>(_title: string, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Promise<R>): Promise<R> {
    const source = new vscode.CancellationTokenSource();
    try {
      return await task({ report: () => undefined }, source.token);
    } finally {
      source.dispose();
    }
  }

  private choose(items: readonly PickItem[], options: vscode.QuickPickOptions): PickItem | readonly PickItem[] | undefined {
    this.pickTitles.push(options.title ?? '');
    return this.choosers.shift()?.(items, options);
  }
}

/** The context a test gives the features it builds: its own output channel, disposed with everything owned. */
export class TestContext implements FeatureContext, vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Mesh Doctor (integration test)', { log: true });
  private readonly owned: vscode.Disposable[] = [this.output];

  own<T extends vscode.Disposable>(d: T): T {
    this.owned.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}

/** globalState stand-in: the extension's own is not reachable from tests. */
export class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}
