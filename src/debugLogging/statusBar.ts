import * as vscode from 'vscode';
import { formatRemaining, nextRevertAt } from '../core/envoyLogging/raisedState';
import { type FeatureContext } from '../ctx';
import { type RaisedStore } from '../services/raisedStore';

export const SHOW_RAISED_COMMAND = 'meshDoctor.debugLogging.showRaised';

/**
 * `$(debug) Envoy debug: 3 pods · 9:12` on `item`, visible while this window holds raised pods.
 * The item is given (and owned by the caller), so whoever creates it can read what it shows.
 */
export class RaisedStatusBar implements vscode.Disposable {
  private tick: NodeJS.Timeout | undefined;

  constructor(
    ctx: FeatureContext,
    private readonly store: RaisedStore,
    private readonly item: vscode.StatusBarItem,
  ) {
    item.name = 'Mesh Doctor: Envoy debug logging';
    item.command = SHOW_RAISED_COMMAND;
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    ctx.own(store.onDidChange(() => this.update()));
    this.update();
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
  }
}
