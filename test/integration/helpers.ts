/**
 * What every integration suite shares: waiting with a deadline, activating the extension, and the
 * stand-ins a test gives the features it builds itself from the product modules — a scripted UI
 * (the UI seam, src/services/ui.ts), a feature context and an in-memory Memento. Tests replace the
 * UI, never the product.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FeatureContext } from '../../src/ctx';
import type { InputOptions, PickItem, UserInterface } from '../../src/services/ui';

export const EXTENSION_ID = 'mesh-doctor.mesh-doctor';

/** Polls until `probe` returns a value that is not undefined, failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fails if `work` has not settled after `timeoutMs`: the extension host must never hang on bad input. */
export async function within<T>(what: string, timeoutMs: number, work: Thenable<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the test host`);
  await extension.activate();
}

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
  /** Progress messages reported, in order. */
  readonly progress: string[] = [];
  /** Every input box asked for (the options, not the answers: those may be secrets). */
  readonly inputs: InputOptions[] = [];
  confirmAnswer = false;
  /** When set, the next progress is cancelled (as by its Cancel button) after this many milliseconds. */
  cancelProgressAfterMs: number | undefined;
  /** What the next save dialogs answer, in order (dismissed when empty). */
  readonly saveAnswers: vscode.Uri[] = [];
  private readonly choosers: Chooser[] = [];
  private readonly answers: (string | undefined)[] = [];

  /** Types `value` into the next input box (undefined dismisses it); a typed value must pass the box's validation. */
  answerInput(value: string | undefined): void {
    this.answers.push(value);
  }

  async input(options: InputOptions): Promise<string | undefined> {
    this.inputs.push(options);
    const value = this.answers.shift();
    const invalid = value === undefined ? undefined : options.validate?.(value);
    assert.equal(invalid, undefined, `the input box "${options.title}" refused the scripted answer`);
    return value;
  }

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
    const cancelAfter = this.cancelProgressAfterMs;
    this.cancelProgressAfterMs = undefined;
    const timer = cancelAfter === undefined ? undefined : setTimeout(() => source.cancel(), cancelAfter);
    try {
      return await task({ report: (v) => void (v.message && this.progress.push(v.message)) }, source.token);
    } finally {
      clearTimeout(timer);
      source.dispose();
    }
  }

  async chooseSaveFile(): Promise<vscode.Uri | undefined> {
    return this.saveAnswers.shift();
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

/** SecretStorage stand-in: the extension's own is not reachable from tests. Events fire as VS Code's do. */
export class MemorySecretStorage implements vscode.SecretStorage, vscode.Disposable {
  private readonly values = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;

  /** Everything stored, for a test to look for what must (not) be there. */
  get stored(): ReadonlyMap<string, string> {
    return this.values;
  }

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
  }

  async delete(key: string): Promise<void> {
    if (this.values.delete(key)) this.changed.fire({ key });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
