import * as vscode from 'vscode';

/**
 * Owns everything the extension creates that must be disposed, so deactivation is one call and a
 * feature cannot leak a listener by forgetting to push it somewhere.
 */
export class Ctx implements vscode.Disposable {
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
