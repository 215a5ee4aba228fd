import type { MeshDoctorConfig } from '../config';
import { type DebugLoggingRaiser, MAX_DEBUG_MINUTES } from '../kube/diagnoseEvidence';
import type { EnvoyLogRaiser } from '../services/envoyLogRaiser';
import type { UserInterface } from '../services/ui';
import { positiveOr } from './options';
import type { DiagnoseScope } from './targets';

/** A diagnosis's Envoy debug window: its minutes (0 for none), the raiser, and why there is none when one was asked for. */
export interface DebugWindowChoice {
  readonly minutes: number;
  readonly raiseDebug?: DebugLoggingRaiser;
  readonly notes: readonly string[];
}

/**
 * The debug window of one Diagnose run: the minutes asked (the command's option, else
 * meshDoctor.diagnose.debugMinutes), on a pod or a workload only, and in a protected context only
 * once the user confirmed it. A declined confirmation raises nothing and the diagnosis goes on
 * with the logs as they are, saying so in its notes.
 */
export async function chooseDebugWindow(ui: UserInterface, raiser: EnvoyLogRaiser, settings: MeshDoctorConfig, scope: DiagnoseScope, label: string, asked: number | undefined): Promise<DebugWindowChoice> {
  const minutes = asked === undefined ? settings.diagnoseDebugMinutes : positiveOr(asked, 0, MAX_DEBUG_MINUTES);
  if (minutes === 0) return { minutes: 0, notes: [] };
  if (scope.kind === 'namespace') return { minutes: 0, notes: ['Envoy debug logging is raised for a pod or a workload, not a whole namespace: diagnose one of them for a debug window'] };
  const what = `Raise Envoy logging (connection problems at debug) for ${minutes} min on ${label} while diagnosing`;
  if (!(await raiser.allow(ui, scope.context, settings.protectedContexts, what))) {
    return { minutes: 0, notes: [`Envoy debug logging was not raised: "${scope.context}" is a protected context and the change was declined`] };
  }
  return { minutes, raiseDebug: raiser.debugWindow(minutes), notes: [] };
}
