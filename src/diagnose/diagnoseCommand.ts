import { readConfig } from '../config';
import { rankCauses } from '../core/diagnose/rank';
import { settingSitesFor } from '../core/lint/settingSites';
import { type FeatureContext } from '../ctx';
import { targetLabel } from '../kube/diagnoseEvidence';
import { openClusterAccess } from '../kube/transport';
import { describeAccessFailure } from '../services/accessHints';
import type { Configuration } from '../services/configuration';
import type { EnvoyLogRaiser } from '../services/envoyLogRaiser';
import type { SettingSites } from '../services/settingLocator';
import { abortOnCancel, type UserInterface } from '../services/ui';
import { chooseDebugWindow } from './debugWindow';
import { type DiagnosisRun, type DiagnosisSession, runSites } from './diagnosisSession';
import { gatherScope } from './gatherScope';
import { positiveOr } from './options';
import type { ReportDocuments } from './reportDocuments';
import { chooseScope, type DiagnoseScope } from './targets';
import { verifiableClusters } from './verifyCommand';

/** How much a diagnosis reads; the command's defaults are `mesh-doctor diagnose`'s. */
export interface DiagnoseOptions {
  /** Minutes of logs, back from now (default 5, at most a day). */
  readonly minutes?: number;
  /** Seconds between the two stats samples (default 10, at most 600). */
  readonly sampleSeconds?: number;
  /** Minutes of Envoy debug logging on a pod or workload (default meshDoctor.diagnose.debugMinutes; 0 for none). */
  readonly debugMinutes?: number;
}

/** The window a rerun with debug logging offers when meshDoctor.diagnose.debugMinutes is 0. */
export const OFFERED_DEBUG_MINUTES = 2;

/** What the report's notification offers next; each is this feature's own command. */
export interface FollowUps {
  openManifest(): Promise<unknown>;
  verifyFix(): Promise<unknown>;
  exportReport(): Promise<unknown>;
}

export function scopeLabel(scope: DiagnoseScope): string {
  return scope.kind === 'namespace' ? `namespace ${scope.namespace}` : targetLabel(scope.target);
}

/** A pod or workload scope as the command's argument, for a rerun. */
function targetArg(scope: DiagnoseScope): unknown {
  if (scope.kind === 'namespace') return { kind: 'namespace', context: scope.context, namespace: scope.namespace };
  return scope.target.kind === 'pod' ? { pod: scope.target.pod } : { workload: scope.target.workload };
}

/** The minutes of a rerun with debug logging to offer: only when no Envoy line tied some resets and there was no window, on a pod or workload. */
function debugOffer(run: DiagnosisRun, settingMinutes: number): number | null {
  if (run.scope.kind !== 'target' || run.diagnosis.window.debugMinutes > 0 || run.diagnosis.untiedResets === 0) return null;
  return settingMinutes > 0 ? settingMinutes : OFFERED_DEBUG_MINUTES;
}

/** The notification that ends a diagnosis: the top cause, and the next steps as buttons. */
function announce(ui: UserInterface, run: DiagnosisRun, followUps: FollowUps, offerMinutes: number | null, rerunWithDebug: (minutes: number) => void): void {
  const top = run.diagnosis.causes[0];
  const message = top
    ? `Diagnosis of ${run.diagnosis.target}: ${top.cause} on ${top.clusters.join(', ') || 'the pod'} (confidence ${top.confidence.toFixed(2)}), ${run.diagnosis.causes.length} cause(s) in the report.`
    : `Diagnosis of ${run.diagnosis.target}: no cause found (no failure counter rose and no reset in the logs was explained).`;
  const unexplained = offerMinutes === null ? '' : ` ${run.diagnosis.untiedResets} reset(s) no Envoy log line ties: Envoy debug logging for ${offerMinutes} min can.`;
  const withDebug = offerMinutes === null ? [] : [`Diagnose with Debug Logging (${offerMinutes} min)`];
  const buttons = [...(runSites(run).length > 0 ? ['Open Manifest'] : []), ...(verifiableClusters(run.diagnosis).length > 0 ? ['Verify Fix'] : []), ...withDebug, 'Export Report'];
  void ui.notify(top ? 'warning' : 'info', message + unexplained, ...buttons).then((chosen) => {
    if (chosen === withDebug[0] && offerMinutes !== null) rerunWithDebug(offerMinutes);
    else if (chosen === 'Open Manifest') void followUps.openManifest();
    else if (chosen === 'Verify Fix') void followUps.verifyFix();
    else if (chosen === 'Export Report') void followUps.exportReport();
  });
}

/**
 * Mesh Doctor: Diagnose (a pod, a namespace, or from the palette a pod or workload) and Diagnose
 * Workload (a pod's owning workload): gathers the evidence with progress and cancellation, ranks
 * the causes with the workspace's manifests, shows the report and offers the next steps. Reads
 * only, but for an asked-for debug window's log levels (raised through `raiser`, restored exactly
 * afterwards, cancelled or not): Mesh Doctor never changes the cluster's configuration. Resolves
 * to the run, or undefined when cancelled or failed.
 */
export function diagnoseCommand(ctx: FeatureContext, ui: UserInterface, config: Configuration, sites: SettingSites, documents: ReportDocuments, session: DiagnosisSession, raiser: EnvoyLogRaiser, scope: 'pod' | 'workload', followUps: FollowUps) {
  const command = async (arg?: unknown, options: DiagnoseOptions = {}): Promise<DiagnosisRun | undefined> => {
    const settings = readConfig();
    let chosen: DiagnoseScope | undefined;
    try {
      chosen = await chooseScope(ui, arg, scope, settings);
    } catch (err) {
      void ui.notify('error', `Mesh Doctor: could not find what to diagnose: ${describeAccessFailure(err)}`);
      return undefined;
    }
    if (!chosen) return undefined;
    const target = chosen;
    const label = scopeLabel(target);
    const debug = await chooseDebugWindow(ui, raiser, settings, target, label, options.debugMinutes);
    let cancelled = false;
    try {
      const run = await ui.withProgress(`Mesh Doctor: diagnosing ${label}`, (progress, token) =>
        abortOnCancel(token, async (signal) => {
          signal.addEventListener('abort', () => (cancelled = true), { once: true });
          const access = openClusterAccess(settings, target.context);
          const [evidence, manifests] = await Promise.all([
            gatherScope(access, target, {
              minutes: positiveOr(options.minutes, 5, 24 * 60),
              sampleSeconds: positiveOr(options.sampleSeconds, 10, 600),
              debugMinutes: debug.minutes,
              ...(debug.raiseDebug ? { raiseDebug: debug.raiseDebug } : {}),
              signal,
              onProgress: (message) => progress.report({ message }),
            }),
            sites.workspaceSettings(),
          ]);
          const diagnosis = rankCauses({ ...evidence, notes: [...debug.notes, ...evidence.notes] }, { minimumSeconds: config.minimum.seconds, locate: (cause, clusters) => settingSitesFor(cause, clusters, manifests) });
          return { scope: target, diagnosis, manifests, report: documents.newUri() };
        }),
      );
      session.start(run);
      ctx.output.info(`Diagnosed ${label}: ${run.diagnosis.causes.map((c) => `${c.cause} ${c.confidence.toFixed(2)}`).join(', ') || 'no cause'}; ${run.diagnosis.requests} request(s).`);
      await documents.show(run.report);
      announce(ui, run, followUps, debugOffer(run, settings.diagnoseDebugMinutes), (minutes) => void command(targetArg(run.scope), { ...options, debugMinutes: minutes }));
      return run;
    } catch (err) {
      if (cancelled) {
        void ui.notify('info', `Mesh Doctor: the diagnosis of ${label} was cancelled.${debug.minutes > 0 ? ' The Envoy log levels it raised were put back (the output says so per pod).' : ''}`);
        return undefined;
      }
      ctx.output.warn(`Diagnose ${label}: ${describeAccessFailure(err)}`);
      void ui.notify('error', `Mesh Doctor: could not diagnose ${label}: ${describeAccessFailure(err)}`);
      return undefined;
    }
  };
  return command;
}
