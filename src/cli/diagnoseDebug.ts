/**
 * `mesh-doctor diagnose --debug-minutes`: Envoy debug logging for the connection-problem loggers
 * for a while, through the same code as `mesh-doctor log-level` — the levels are read and saved in
 * the CLI's state file before the first change (a crash leaves them restorable with
 * `mesh-doctor log-level --restore`), and restored exactly afterwards.
 */

import { presetChange } from '../core/envoyLogging/change';
import { raisePodLevels, restorePodLevels } from '../core/envoyLogging/podLevels';
import { addRaised, raisedPodKey, removeRaised } from '../core/envoyLogging/raisedState';
import { matchingProtectedPattern } from '../core/envoyLogging/protectedContexts';
import { podLabel } from '../core/podAccess';
import { updateStateFile } from '../files/stateFile';
import type { DebugLoggingRaiser } from '../kube/diagnoseEvidence';
import { debugWindowRaiser } from '../kube/debugWindow';
import type { LoggerLevels } from '../core/envoyLogging/levels';
import type { PodRef } from '../kube/types';
import { UsageError } from './args';

/** Refuses a raise in a protected context unless the user confirmed it (the editor asks; the CLI takes a flag). */
export function checkProtectedContext(context: string, patterns: readonly string[], confirmed: boolean): void {
  const pattern = matchingProtectedPattern(context, patterns);
  if (pattern !== undefined && !confirmed) {
    throw new UsageError(`context "${context}" matches the protected pattern ${JSON.stringify(pattern)}: raising Envoy log levels there needs --confirm-protected`);
  }
}

/** A raiser that records each pod's levels in `stateFile` before changing them and forgets them once restored. */
export function stateFileDebugRaiser(stateFile: string, minutes: number): DebugLoggingRaiser {
  const change = presetChange('connection');
  return debugWindowRaiser<{ pod: PodRef; uid: string; saved: LoggerLevels }>({
    // One pod at a time: each change is a read-modify-write of the one state file.
    concurrency: 1,
    raise: (admin, { pod, uid }, signal, saved) =>
      raisePodLevels(admin, pod, change, signal, async (before) => {
        const now = Date.now();
        saved({ pod, uid, saved: before });
        await updateStateFile(stateFile, (all) => addRaised(all, { pod, uid, saved: before, raisedAt: now, revertAt: now + minutes * 60_000, description: 'connection problems at debug (mesh-doctor diagnose)' }));
      }),
    raiseFailed: (pod, err) => `${podLabel(pod)}: raising debug logging failed: ${err instanceof Error ? err.message : String(err)}`,
    restore: async (admin, r) => {
      try {
        const outcome = await restorePodLevels(admin, r.pod, r.saved);
        if (outcome.mismatches.length > 0) return `${podLabel(r.pod)} is not back at its saved levels (${outcome.mismatches.join(', ')}): run mesh-doctor log-level --pod ${podLabel(r.pod)} --restore`;
        await updateStateFile(stateFile, (all) => removeRaised(all, raisedPodKey(r.pod, r.uid)));
        return null;
      } catch (err) {
        return `${podLabel(r.pod)}: restoring the log levels failed (${err instanceof Error ? err.message : String(err)}); they are saved: run mesh-doctor log-level --pod ${podLabel(r.pod)} --context ${r.pod.context} --restore`;
      }
    },
  });
}
