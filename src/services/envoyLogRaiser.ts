import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { type LoggingChange, presetChange } from '../core/envoyLogging/change';
import { PartialRaiseError, raisePodLevels, restorePodLevels } from '../core/envoyLogging/podLevels';
import { type RaisedPod } from '../core/envoyLogging/raisedState';
import { podLabel } from '../core/podAccess';
import { type FeatureContext } from '../ctx';
import type { DebugLoggingRaiser } from '../kube/diagnoseEvidence';
import { debugWindowRaiser } from '../kube/debugWindow';
import type { EnvoyAdminClient, PodRef } from '../kube/types';
import { describeAccessFailure } from './accessHints';
import { allowChange } from './confirmChange';
import { RaisedStore } from './raisedStore';
import { ADMIN_CONCURRENCY } from './restoreRaised';
import type { UserInterface } from './ui';

/** A raise that failed; `record` is set when the levels were stored first, so the pod may be partly changed and must still be restored. */
export class PodRaiseError extends Error {
  constructor(
    readonly cause: unknown,
    readonly record: RaisedPod | undefined,
  ) {
    super(describeAccessFailure(cause));
    this.name = 'PodRaiseError';
  }
}

/** A debug window's restore waits this much longer before auto-revert takes over, so the two never race. */
const WINDOW_REVERT_GRACE_MS = 60_000;

/**
 * The one way the editor raises Envoy log levels: a protected context is confirmed first, each
 * pod's levels are stored in the crash-safe RaisedStore before its first change (so auto-revert and
 * recovery after a crash know what to put back), and a restore puts back exactly what was stored.
 * Created once in src/extension.ts; the debug-logging feature's Enable and Diagnose's debug window
 * both raise through it, so both show in the status bar and the Mesh view.
 */
export class EnvoyLogRaiser {
  constructor(
    private readonly ctx: FeatureContext,
    readonly store: RaisedStore,
  ) {}

  /** True when `context` is not protected, or the user confirmed `what` there. */
  allow(ui: UserInterface, context: string, protectedContexts: readonly string[], what: string): Promise<boolean> {
    return allowChange(ui, context, protectedContexts, what);
  }

  /** Raises one pod, storing its levels before the first change; a failure is a PodRaiseError. */
  async raisePod(admin: EnvoyAdminClient, pod: PodRef, uid: string, change: LoggingChange, description: string, revertAt: number | null, signal?: AbortSignal): Promise<RaisedPod> {
    let record: RaisedPod | undefined;
    try {
      const now = Date.now();
      await raisePodLevels(admin, pod, change, signal, async (before) => {
        record = await this.store.add({ pod, uid, saved: before, raisedAt: now, revertAt, description, session: this.store.session });
      });
      return record!;
    } catch (err) {
      throw new PodRaiseError(err instanceof PartialRaiseError ? err.cause : err, record);
    }
  }

  /**
   * Diagnose's window: the connection-problem loggers at debug on every pod for `minutes`. Its
   * restore runs without a signal (a cancelled diagnosis still restores), puts back the stored
   * levels through the same admin client, and keeps a pod's record when it is not back exactly, so
   * auto-revert (shortly after the window) and recovery try again.
   */
  debugWindow(minutes: number): DebugLoggingRaiser {
    const change = presetChange('connection');
    const description = 'connection problems at debug (Diagnose)';
    return debugWindowRaiser<RaisedPod>({
      concurrency: ADMIN_CONCURRENCY,
      raise: async (admin, { pod, uid }, signal, saved) => {
        const revertAt = Date.now() + minutes * 60_000 + WINDOW_REVERT_GRACE_MS;
        try {
          saved(await this.raisePod(admin, pod, uid, change, description, revertAt, signal));
        } catch (err) {
          if (err instanceof PodRaiseError && err.record) saved(err.record);
          throw err;
        }
        this.ctx.output.info(`${podLabel(pod)}: Envoy logging raised (${description}) for ${minutes} min`);
      },
      raiseFailed: (pod, err) => `${podLabel(pod)}: raising debug logging failed: ${(err as Error).message}`,
      restore: async (admin, r) => {
        try {
          const outcome = await restorePodLevels(admin, r.pod, r.saved);
          if (outcome.mismatches.length > 0) return `${podLabel(r.pod)} is not back at its saved levels (${outcome.mismatches.join(', ')}): Mesh Doctor restores it again when its time is up`;
          await this.store.remove(r);
          this.ctx.output.info(`${podLabel(r.pod)}: Envoy log levels restored exactly after Diagnose (${outcome.requests} request(s))`);
          return null;
        } catch (err) {
          return `${podLabel(r.pod)}: restoring the log levels failed (${describeAccessFailure(err)}); they are saved and restored again when the time is up`;
        }
      },
    });
  }
}

/** The raiser over `state` (the extension's globalState, shared by every window), its store owned by `ctx`. */
export function createEnvoyLogRaiser(ctx: FeatureContext, state: vscode.Memento): EnvoyLogRaiser {
  // Our own id, not vscode.env.sessionId: code-server gives every window the same placeholder.
  return new EnvoyLogRaiser(ctx, ctx.own(new RaisedStore(state, randomUUID())));
}
