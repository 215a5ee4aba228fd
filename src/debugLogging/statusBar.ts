import * as vscode from 'vscode';
import { formatRemaining, nextRevertAt } from '../core/envoyLogging/raisedState';
import { RaisedStore } from './raisedStore';

export const SHOW_RAISED_COMMAND = 'meshDoctor.debugLogging.showRaised';

/** `$(debug) Envoy debug: 3 pods · 9:12`, visible while this window holds raised pods. */
export class RaisedStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('meshDoctor.debugLogging', vscode.StatusBarAlignment.Left, 50);
  private tick: NodeJS.Timeout | undefined;
  private readonly sub: vscode.Disposable;

  constructor(private readonly store: RaisedStore) {
    this.item.name = 'Mesh Doctor: Envoy debug logging';
    this.item.command = SHOW_RAISED_COMMAND;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.sub = store.onDidChange(() => this.update());
    this.update();
  }

  /** The text shown now (integration tests read it). */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const pods = this.store.mine();
    if (pods.length === 0) {
      this.item.hide();
      if (this.tick) clearInterval(this.tick);
      this.tick = undefined;
      return;
    }
    const at = nextRevertAt(pods);
    const left = at === null ? '' : ` · ${formatRemaining(at - Date.now())}`;
    this.item.text = `$(debug) Envoy debug: ${pods.length} pod${pods.length === 1 ? '' : 's'}${left}`;
    this.item.tooltip = `Envoy log levels raised on ${pods.map((p) => p.pod.name).join(', ')}${at === null ? ' (no auto-revert)' : ''}. Click to restore.`;
    this.item.show();
    if (!this.tick && at !== null) this.tick = setInterval(() => this.update(), 1000);
  }

  dispose(): void {
    if (this.tick) clearInterval(this.tick);
    this.sub.dispose();
    this.item.dispose();
  }
}
