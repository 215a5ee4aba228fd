import * as vscode from 'vscode';

/**
 * What a feature gets from the context: the output channel, and `own` for every disposable it
 * creates (listeners, providers, timers, status bar items), so its lifetime is the context's.
 * Integration tests give a feature a context of their own and dispose it after the suite.
 */
export interface FeatureContext {
  readonly output: vscode.LogOutputChannel;
  own<T extends vscode.Disposable>(d: T): T;
}

/**
 * Owns everything the extension creates that must be disposed, so deactivation is one call that
 * disposes in reverse order of creation. Only what a feature passes to `own` is disposed here: a
 * listener it keeps elsewhere is its own to dispose, and leaks if it does not.
 */
export class Ctx implements FeatureContext, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly output: vscode.LogOutputChannel;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Mesh Doctor', { log: true });
    this.disposables.push(this.output);
  }

  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /** Registers one entry of the command table (src/commands.ts), owned like everything else. */
  registerCommand(id: string, handler: (...args: never[]) => unknown): void {
    this.own(vscode.commands.registerCommand(id, handler));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (err) {
        console.error('mesh-doctor: dispose failed', err);
      }
    }
  }
}
