import * as vscode from 'vscode';
import { affects, readConfig } from '../config';
import { parseDuration } from '../core/duration';
import { notificationText } from '../core/text/markupEscape';

/** Istio's own default, used whenever the setting cannot be read. */
const FALLBACK_SECONDS = 10;
const FALLBACK_TEXT = '10s';

/**
 * The lint threshold from `meshDoctor.connectTimeout.minimum`, parsed once per change. An invalid
 * value warns once (not on every keystroke-triggered lint) and falls back to Istio's default, so a
 * typo in settings never silently switches the lint off.
 */
export class MinimumSetting implements vscode.Disposable {
  private seconds = FALLBACK_SECONDS;
  private lastWarned: string | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly listener: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor() {
    this.reload();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'connectTimeout.minimum')) {
        this.reload();
        this.changed.fire();
      }
    });
  }

  get minimumSeconds(): number {
    return this.seconds;
  }

  private reload(): void {
    const raw = readConfig().connectTimeoutMinimum;
    const parsed = checkMinimum(raw);
    if (parsed.ok) {
      this.seconds = parsed.seconds;
      this.lastWarned = null;
      return;
    }
    this.seconds = FALLBACK_SECONDS;
    if (this.lastWarned === raw) return;
    this.lastWarned = raw;
    const open = 'Open Settings';
    void vscode.window
      .showWarningMessage(
        notificationText(
          `Mesh Doctor: the setting meshDoctor.connectTimeout.minimum (${JSON.stringify(raw)}) is not a duration: ${parsed.reason}. ` +
            `Using ${FALLBACK_TEXT}. Set it to a Go duration such as 10s or 1m30s.`,
        ),
        open,
      )
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'meshDoctor.connectTimeout.minimum');
      });
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}

/**
 * Only a duration string is accepted: a bare number would be read as nanoseconds, and a negative
 * threshold would flag nothing, which is never what a user means. Both are rejected like a typo.
 */
function checkMinimum(raw: unknown): ReturnType<typeof parseDuration> {
  if (typeof raw !== 'string') return { ok: false, reason: 'it must be a string such as "10s"' };
  const parsed = parseDuration(raw);
  return parsed.ok && parsed.seconds < 0 ? { ok: false, reason: 'it is negative' } : parsed;
}
