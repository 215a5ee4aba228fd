import type { ClientNode } from '../kube/clientNode';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { type LoggingChange } from '../core/envoyLogging/change';
import { readPodLevels } from '../core/envoyLogging/podLevels';
import { type RaisedPod } from '../core/envoyLogging/raisedState';
import { readConfig } from '../config';
import { type FeatureContext } from '../ctx';
import { hasEnvoySidecar } from '../core/pods';
import { podRefOf } from '../kube/workloads';
import { type UserInterface, abortOnCancel } from '../services/ui';
import { type EnvoyLogRaiser, PodRaiseError } from '../services/envoyLogRaiser';
import { type EnableOptions, changeFromOptions, describeLoggingChange, pickChange } from './chooseChange';
import { describeAccessFailure } from '../services/accessHints';
import { type PodFailure, reportPodOutcome } from '../services/podReport';
import { ADMIN_CONCURRENCY } from '../services/restoreRaised';
import { type ResolvedTarget, resolveTarget } from '../services/podTargets';
import { podLabel } from '../core/podAccess';

export interface EnableResult {
  readonly raised: RaisedPod[];
  readonly failed: PodFailure[];
}

/**
 * "Enable Envoy debug logging" for a pod or, with `scope: 'workload'`, its workload. Every pod's
 * levels are read and stored before its first change; pods that fail are listed with reasons while
 * the others still change. Returns what happened (tests read it), or undefined when cancelled.
 */
export function enableDebugLoggingCommand(ctx: FeatureContext, ui: UserInterface, raiser: EnvoyLogRaiser, scope: 'pod' | 'workload') {
  return async (arg?: unknown, options?: EnableOptions): Promise<EnableResult | undefined> => {
    try {
      const cfg = readConfig();
      const target = await resolveTarget(ui, arg, scope, cfg);
      if (!target) return undefined;
      const pods = await target.listPods();
      const withSidecar = pods.filter(hasEnvoySidecar);
      const context = target.access.clients.context;
      const failed: PodFailure[] = pods.filter((p) => !hasEnvoySidecar(p)).map((p) => ({ pod: podLabel({ namespace: p.metadata?.namespace ?? '?', name: p.metadata?.name ?? '?' }), reason: 'no istio-proxy sidecar' }));
      if (withSidecar.length === 0) {
        reportPodOutcome(ctx.output, ui, `No pod of ${target.label} has an Envoy sidecar.`, failed);
        return { raised: [], failed };
      }
      const change =
        (options && changeFromOptions(options)) ?? (await pickChange(ui, (signal) => readPodLevels(target.access.transport.admin, podRefOf(context, withSidecar[0]), signal)));
      if (!change) return undefined;
      const what = `Raise Envoy logging (${describeLoggingChange(change)}) on ${withSidecar.length} pod${withSidecar.length === 1 ? '' : 's'} of ${target.label}`;
      if (!(await raiser.allow(ui, context, cfg.protectedContexts, what))) return undefined;
      const result = await raiseAll(ctx, ui, raiser, target, withSidecar, change, cfg.debugLoggingAutoRevertMinutes);
      failed.push(...result.failed);
      const revert = cfg.debugLoggingAutoRevertMinutes > 0 ? ` Turns off in ${cfg.debugLoggingAutoRevertMinutes} min.` : '';
      reportPodOutcome(ctx.output, ui, `Envoy logging raised (${describeLoggingChange(change)}) on ${result.raised.length} of ${pods.length} pod${pods.length === 1 ? '' : 's'} of ${target.label}.${revert}`, failed);
      return { raised: result.raised, failed };
    } catch (err) {
      ctx.output.error(`Enable Envoy debug logging failed: ${describeAccessFailure(err)}`);
      void ui.notify('error', `Could not enable Envoy debug logging: ${describeAccessFailure(err)}`);
      return undefined;
    }
  };
}

async function raiseAll(ctx: FeatureContext, ui: UserInterface, raiser: EnvoyLogRaiser, target: ResolvedTarget, pods: ClientNode.V1Pod[], change: LoggingChange, autoRevertMinutes: number): Promise<EnableResult> {
  const context = target.access.clients.context;
  return ui.withProgress(`Raising Envoy log levels on ${target.label}`, (progress, token) =>
    abortOnCancel(token, async (signal) => {
      const raised: RaisedPod[] = [];
      const failed: PodFailure[] = [];
      let done = 0;
      await mapBounded(
        pods,
        ADMIN_CONCURRENCY,
        async (raw) => {
          const pod = podRefOf(context, raw);
          try {
            const revertAt = autoRevertMinutes > 0 ? Date.now() + autoRevertMinutes * 60_000 : null;
            raised.push(await raiser.raisePod(target.access.transport.admin, pod, raw.metadata?.uid ?? '', change, describeLoggingChange(change), revertAt, signal));
            ctx.output.info(`${podLabel(pod)}: Envoy logging raised (${describeLoggingChange(change)})`);
          } catch (err) {
            const partly = err instanceof PodRaiseError && err.record ? ' (may be partly changed; kept in the list to restore)' : '';
            failed.push({ pod: podLabel(pod), reason: (err instanceof Error ? err.message : String(err)) + partly });
          } finally {
            progress.report({ increment: 100 / pods.length, message: `${++done}/${pods.length}` });
          }
        },
        signal,
      );
      return { raised, failed };
    }),
  );
}
