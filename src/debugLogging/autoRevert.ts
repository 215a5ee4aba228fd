import type * as vscode from 'vscode';
import { nextRevertAt } from '../core/envoyLogging/raisedState';
import { type FeatureContext } from '../ctx';
import { type UserInterface } from '../services/ui';
import { type RaisedStore } from '../services/raisedStore';
import { restoreRaised } from '../services/restoreRaised';

/** setTimeout's limit; a later revert is reached by re-arming. */
const MAX_TIMER_MS = 2_147_000_000;
/** After a failed revert (cluster unreachable), try again this much later. */
const RETRY_MS = 30_000;

/**
 * Restores this window's raised pods when their time is up: one timer armed for the earliest
 * `revertAt`, re-armed whenever the store changes.
 */
export class AutoReverter implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly ctx: FeatureContext,
    private readonly ui: UserInterface,
    private readonly store: RaisedStore,
  ) {
    ctx.own(store.onDidChange(() => this.arm()));
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const at = nextRevertAt(this.store.mine());
    if (at === null) return;
    this.timer = setTimeout(() => void this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
  }

  private async fire(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const due = this.store.mine().filter((r) => r.revertAt !== null && r.revertAt <= Date.now());
      if (due.length === 0) return;
      const s = await restoreRaised(this.ctx, this.store, due);
      const names = s.restored.map((r) => r.pod.name).join(', ');
      if (s.restored.length) void this.ui.notify('info', `Envoy debug logging turned off (time is up): ${names}`);
      for (const f of s.failed) this.ctx.output.warn(`auto-revert of ${f.pod} failed, retrying in ${RETRY_MS / 1000} s: ${f.reason}`);
      if (s.failed.length) {
        this.timer = setTimeout(() => void this.fire(), RETRY_MS);
        return;
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
