/**
 * The debug window both front ends raise for Diagnose, once: every pod raised, each one's levels
 * saved before its first change; when the window is over, every pod that was saved restored, and
 * what could not be done said. The front ends differ only in where they save the levels (the
 * CLI's state file, the editor's RaisedStore), how many pods they change at once, and the words of
 * a problem (a CLI command to retry, or the editor's automatic revert).
 */

import { mapBounded } from '../core/envoyLogging/concurrency';
import type { DebugLoggingRaiser } from './diagnoseEvidence';
import type { EnvoyAdminClient, PodRef } from './types';

export interface DebugWindowSteps<R extends { readonly pod: PodRef }> {
  /** Pods raised or restored at once. */
  readonly concurrency: number;
  /**
   * Raises one pod, calling `saved` with its record as soon as its levels are saved: a raise that
   * fails after that may have changed some loggers, so the pod is restored all the same.
   */
  raise(admin: EnvoyAdminClient, target: { readonly pod: PodRef; readonly uid: string }, signal: AbortSignal | undefined, saved: (record: R) => void): Promise<unknown>;
  /** What to say of a pod whose raise failed. */
  raiseFailed(pod: PodRef, error: unknown): string;
  /** Restores one pod: null when it is back at its saved levels, else what to say. Runs without a signal: a cancelled diagnosis still restores. */
  restore(admin: EnvoyAdminClient, record: R): Promise<string | null>;
}

export function debugWindowRaiser<R extends { readonly pod: PodRef }>(steps: DebugWindowSteps<R>): DebugLoggingRaiser {
  return async (admin, pods, signal) => {
    const records: R[] = [];
    const problems: string[] = [];
    await mapBounded(
      pods,
      steps.concurrency,
      async (target) => {
        try {
          await steps.raise(admin, target, signal, (record) => records.push(record));
        } catch (err) {
          problems.push(steps.raiseFailed(target.pod, err));
        }
      },
      signal,
    );
    return {
      restore: async () => {
        const left = [...problems];
        await mapBounded(records, steps.concurrency, async (record) => {
          const problem = await steps.restore(admin, record);
          if (problem !== null) left.push(problem);
        });
        return left;
      },
    };
  };
}
