import * as vscode from 'vscode';
import { type RaisedPod, isRaisedPod, raisedPodKey } from '../core/envoyLogging/raisedState';
import { addRaised, removeRaised } from '../core/envoyLogging/raisedState';

const STATE_KEY = 'meshDoctor.debugLogging.raisedPods';
const HEARTBEAT_KEY = 'meshDoctor.debugLogging.heartbeats';
/** A window that has not beaten for this long is closed or crashed: its raised pods are orphans. */
export const HEARTBEAT_STALE_MS = 90_000;

/**
 * The pods this machine's VS Code raised, in globalState so a crash or restart can restore them.
 * globalState is shared by every window, so each record names its session and each live session
 * beats a heartbeat; recovery takes only records whose session stopped beating.
 */
export class RaisedStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly beat: NodeJS.Timeout;

  constructor(
    private readonly state: vscode.Memento,
    readonly session: string,
  ) {
    this.beat = setInterval(() => void this.heartbeat(), HEARTBEAT_STALE_MS / 3);
    void this.heartbeat();
  }

  all(): RaisedPod[] {
    const v = this.state.get<unknown[]>(STATE_KEY, []);
    return Array.isArray(v) ? v.filter(isRaisedPod) : [];
  }

  /** Raised by this window. */
  mine(): RaisedPod[] {
    return this.all().filter((r) => r.session === this.session);
  }

  /** Records of sessions that are no longer alive. */
  orphans(): RaisedPod[] {
    const beats = this.state.get<Record<string, number>>(HEARTBEAT_KEY, {});
    const now = Date.now();
    return this.all().filter((r) => {
      if (r.session === this.session) return false;
      const last = r.session ? beats[r.session] : undefined;
      return last === undefined || now - last > HEARTBEAT_STALE_MS;
    });
  }

  async add(record: RaisedPod): Promise<RaisedPod> {
    const { pods, result } = addRaised(this.all(), record);
    await this.write(pods);
    return result;
  }

  async remove(record: RaisedPod): Promise<void> {
    await this.write(removeRaised(this.all(), raisedPodKey(record.pod, record.uid)).pods);
  }

  /** Takes over an orphan so this window's auto-revert and status bar own it. */
  async adopt(record: RaisedPod): Promise<void> {
    const key = raisedPodKey(record.pod, record.uid);
    await this.write(this.all().map((r) => (raisedPodKey(r.pod, r.uid) === key ? { ...r, session: this.session } : r)));
  }

  private async write(pods: RaisedPod[]): Promise<void> {
    await this.state.update(STATE_KEY, pods);
    this.changed.fire();
  }

  private async heartbeat(): Promise<void> {
    const beats = { ...this.state.get<Record<string, number>>(HEARTBEAT_KEY, {}) };
    const now = Date.now();
    beats[this.session] = now;
    // Forget sessions dead for a day so the map stays small.
    for (const [s, t] of Object.entries(beats)) if (now - t > 86_400_000) delete beats[s];
    await this.state.update(HEARTBEAT_KEY, beats);
  }

  dispose(): void {
    clearInterval(this.beat);
    const beats = { ...this.state.get<Record<string, number>>(HEARTBEAT_KEY, {}) };
    delete beats[this.session];
    void this.state.update(HEARTBEAT_KEY, beats);
    this.changed.dispose();
  }
}
