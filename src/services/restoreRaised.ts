import { mapBounded } from '../core/envoyLogging/concurrency';
import { restorePodLevels } from '../core/envoyLogging/podLevels';
import { type RaisedPod } from '../core/envoyLogging/raisedState';
import { readConfig } from '../config';
import { type FeatureContext } from '../ctx';
import { type UserInterface, abortOnCancel } from './ui';
import { openClusterAccess } from '../kube/transport';
import { KubeAccessError } from '../kube/types';
import { type RaisedStore } from './raisedStore';
import { describeAccessFailure } from './accessHints';
import { type PodFailure, reportPodOutcome } from './podReport';
import { readPod } from './podTargets';
import { podLabel } from '../core/podAccess';

export const ADMIN_CONCURRENCY = 8;

export interface RestoreSummary {
  readonly restored: RaisedPod[];
  /** Pods deleted or recreated since the raise: dropped from the store, nothing to restore. */
  readonly gone: RaisedPod[];
  /** Pods that could not be reached: kept in the store for a later try. */
  readonly failed: PodFailure[];
}

/**
 * Restores `records` to their saved levels, at most ADMIN_CONCURRENCY pods at a time. A pod that
 * no longer exists (or exists with another uid: a new Envoy) is dropped; a pod that fails for
 * another reason keeps its record, so the store never forgets a pod that is still raised.
 */
export async function restoreRaised(ctx: FeatureContext, store: RaisedStore, records: readonly RaisedPod[], signal?: AbortSignal): Promise<RestoreSummary> {
  const settings = readConfig();
  const restored: RaisedPod[] = [];
  const gone: RaisedPod[] = [];
  const failed: PodFailure[] = [];
  await mapBounded(
    records,
    ADMIN_CONCURRENCY,
    async (r) => {
      const label = podLabel(r.pod);
      try {
        const access = openClusterAccess(settings, r.pod.context);
        const raw = await readPod(access, r.pod).catch((err: unknown) => {
          if (err instanceof KubeAccessError && err.status === 404) return undefined;
          throw err;
        });
        if (!raw || (r.uid && raw.metadata?.uid !== r.uid)) {
          gone.push(r);
          await store.remove(r);
          ctx.output.info(`${label} no longer exists (or was recreated); its saved Envoy levels were dropped`);
          return;
        }
        const outcome = await restorePodLevels(access.transport.admin, r.pod, r.saved, signal);
        await store.remove(r);
        restored.push(r);
        ctx.output.info(`${label}: restored Envoy log levels with ${outcome.requests} request(s)${outcome.mismatches.length ? `; still different: ${outcome.mismatches.join(', ')}` : ''}`);
      } catch (err) {
        failed.push({ pod: label, reason: describeAccessFailure(err) });
      }
    },
    signal,
  );
  return { restored, gone, failed };
}

/** Restores with a cancellable progress notification and one summary message. */
export async function restoreWithProgress(ctx: FeatureContext, ui: UserInterface, store: RaisedStore, records: readonly RaisedPod[], why: string): Promise<RestoreSummary> {
  const summary = await ui.withProgress(`Restoring Envoy log levels (${records.length} pod${records.length === 1 ? '' : 's'})`, (_progress, token) =>
    abortOnCancel(token, (signal) => restoreRaised(ctx, store, records, signal)),
  );
  const goneText = summary.gone.length ? ` ${summary.gone.map((g) => g.pod.name).join(', ')} no longer exist${summary.gone.length === 1 ? 's' : ''}; dropped.` : '';
  reportPodOutcome(ctx.output, ui, `${why}: restored ${summary.restored.length} pod${summary.restored.length === 1 ? '' : 's'}.${goneText}`, summary.failed);
  return summary;
}
