import * as vscode from 'vscode';
import type { ClientNode } from '../kube/clientNode';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { LoggingChange } from '../core/envoyLogging/change';
import { PartialRaiseError, raisePodLevels, readPodLevels } from '../core/envoyLogging/podLevels';
import { RaisedPod } from '../core/envoyLogging/raisedState';
import { readConfig } from '../config';
import { Ctx } from '../ctx';
import { hasIstioProxy, podRefOf } from '../kube/workloads';
import { ProtectedContextGuard } from './confirm';
import { EnableOptions, changeFromOptions, describeLoggingChange, pickChange } from './chooseChange';
import { RaisedStore } from './raisedStore';
import { PodFailure, reasonOf, reportPodOutcome } from './report';
import { ADMIN_CONCURRENCY } from './restoreRaised';
import { ResolvedTarget, resolveTarget } from './targets';
import { notificationText } from '../core/text/markupEscape';

export interface EnableResult {
  readonly raised: RaisedPod[];
  readonly failed: PodFailure[];
}

/**
 * "Enable Envoy debug logging" for a pod or, with `scope: 'workload'`, its workload. Every pod's
 * levels are read and stored before its first change; pods that fail are listed with reasons while
 * the others still change. Returns what happened (tests read it), or undefined when cancelled.
 */
export function enableDebugLoggingCommand(ctx: Ctx, store: RaisedStore, guard: ProtectedContextGuard, scope: 'pod' | 'workload') {
  return async (arg?: unknown, options?: EnableOptions): Promise<EnableResult | undefined> => {
    try {
      const cfg = readConfig();
      const target = await resolveTarget(arg, scope, cfg);
      if (!target) return undefined;
      const pods = await target.listPods();
      const withSidecar = pods.filter(hasIstioProxy);
      const context = target.access.clients.context;
      const failed: PodFailure[] = pods.filter((p) => !hasIstioProxy(p)).map((p) => ({ pod: p.metadata?.name ?? '?', reason: 'no istio-proxy sidecar' }));
      if (withSidecar.length === 0) {
        reportPodOutcome(ctx.output, `No pod of ${target.label} has an Envoy sidecar.`, failed);
        return { raised: [], failed };
      }
      const change =
        (options && changeFromOptions(options)) ?? (await pickChange(() => readPodLevels(target.access.transport.admin, podRefOf(context, withSidecar[0]))));
      if (!change) return undefined;
      const what = `Raise Envoy logging (${describeLoggingChange(change)}) on ${withSidecar.length} pod${withSidecar.length === 1 ? '' : 's'} of ${target.label}`;
      if (!(await guard.allow(context, cfg.protectedContexts, what))) return undefined;
      const result = await raiseAll(ctx, store, target, withSidecar, change, cfg.debugLoggingAutoRevertMinutes);
      failed.push(...result.failed);
      const revert = cfg.debugLoggingAutoRevertMinutes > 0 ? ` Turns off in ${cfg.debugLoggingAutoRevertMinutes} min.` : '';
      reportPodOutcome(ctx.output, `Envoy logging raised (${describeLoggingChange(change)}) on ${result.raised.length} of ${pods.length} pod${pods.length === 1 ? '' : 's'} of ${target.label}.${revert}`, failed);
      return { raised: result.raised, failed };
    } catch (err) {
      ctx.output.error(`Enable Envoy debug logging failed: ${reasonOf(err)}`);
      void vscode.window.showErrorMessage(notificationText(`Could not enable Envoy debug logging: ${reasonOf(err)}`));
      return undefined;
    }
  };
}

async function raiseAll(ctx: Ctx, store: RaisedStore, target: ResolvedTarget, pods: ClientNode.V1Pod[], change: LoggingChange, autoRevertMinutes: number): Promise<EnableResult> {
  const context = target.access.clients.context;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Raising Envoy log levels on ${target.label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const raised: RaisedPod[] = [];
      const failed: PodFailure[] = [];
      let done = 0;
      await mapBounded(
        pods,
        ADMIN_CONCURRENCY,
        async (raw) => {
          const pod = podRefOf(context, raw);
          let record: RaisedPod | undefined;
          try {
            const now = Date.now();
            await raisePodLevels(target.access.transport.admin, pod, change, abort.signal, async (before) => {
              // Stored before the first change: a crash from here on still knows what to put back.
              record = await store.add({
                pod,
                uid: raw.metadata?.uid ?? '',
                saved: before,
                raisedAt: now,
                revertAt: autoRevertMinutes > 0 ? now + autoRevertMinutes * 60_000 : null,
                description: describeLoggingChange(change),
                session: store.session,
              });
            });
            raised.push(record!);
            ctx.output.info(`${pod.namespace}/${pod.name}: Envoy logging raised (${describeLoggingChange(change)})`);
          } catch (err) {
            const partly = err instanceof PartialRaiseError ? ' (may be partly changed; kept in the list to restore)' : '';
            failed.push({ pod: pod.name, reason: reasonOf(err instanceof PartialRaiseError ? err.cause : err) + partly });
          } finally {
            progress.report({ increment: 100 / pods.length, message: `${++done}/${pods.length}` });
          }
        },
        abort.signal,
      );
      return { raised, failed };
    },
  );
}
