import { readConfig } from '../config';
import { rankCauses } from '../core/diagnose/rank';
import { settingSitesFor } from '../core/lint/settingSites';
import { type FeatureContext } from '../ctx';
import { targetLabel } from '../kube/diagnoseEvidence';
import { openClusterAccess } from '../kube/transport';
import { describeAccessFailure } from '../services/accessHints';
import type { Configuration } from '../services/configuration';
import type { SettingSites } from '../services/settingLocator';
import { abortOnCancel, type UserInterface } from '../services/ui';
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
}

/** What the report's notification offers next; each is this feature's own command. */
export interface FollowUps {
  openManifest(): Promise<unknown>;
  verifyFix(): Promise<unknown>;
  exportReport(): Promise<unknown>;
}

export function scopeLabel(scope: DiagnoseScope): string {
  return scope.kind === 'namespace' ? `namespace ${scope.namespace}` : targetLabel(scope.target);
}

/** The notification that ends a diagnosis: the top cause, and the next steps as buttons. */
function announce(ui: UserInterface, run: DiagnosisRun, followUps: FollowUps): void {
  const top = run.diagnosis.causes[0];
  const message = top
    ? `Diagnosis of ${run.diagnosis.target}: ${top.cause} on ${top.clusters.join(', ') || 'the pod'} (confidence ${top.confidence.toFixed(2)}), ${run.diagnosis.causes.length} cause(s) in the report.`
    : `Diagnosis of ${run.diagnosis.target}: no cause found (no failure counter rose and no reset in the logs was explained).`;
  const buttons = [...(runSites(run).length > 0 ? ['Open Manifest' as const] : []), ...(verifiableClusters(run.diagnosis).length > 0 ? ['Verify Fix' as const] : []), 'Export Report' as const];
  void ui.notify(top ? 'warning' : 'info', message, ...buttons).then((chosen) => {
    if (chosen === 'Open Manifest') void followUps.openManifest();
    else if (chosen === 'Verify Fix') void followUps.verifyFix();
    else if (chosen === 'Export Report') void followUps.exportReport();
  });
}

/**
 * Mesh Doctor: Diagnose (a pod, a namespace, or from the palette a pod or workload) and Diagnose
 * Workload (a pod's owning workload): gathers the evidence with progress and cancellation, ranks
 * the causes with the workspace's manifests, shows the report and offers the next steps. Reads
 * only: Mesh Doctor never changes the cluster. Resolves to the run, or undefined when cancelled or failed.
 */
export function diagnoseCommand(ctx: FeatureContext, ui: UserInterface, config: Configuration, sites: SettingSites, documents: ReportDocuments, session: DiagnosisSession, scope: 'pod' | 'workload', followUps: FollowUps) {
  return async (arg?: unknown, options: DiagnoseOptions = {}): Promise<DiagnosisRun | undefined> => {
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
              signal,
              onProgress: (message) => progress.report({ message }),
            }),
            sites.workspaceSettings(),
          ]);
          const diagnosis = rankCauses(evidence, { minimumSeconds: config.minimum.seconds, locate: (cause, clusters) => settingSitesFor(cause, clusters, manifests) });
          return { scope: target, diagnosis, manifests, report: documents.newUri() };
        }),
      );
      session.start(run);
      ctx.output.info(`Diagnosed ${label}: ${run.diagnosis.causes.map((c) => `${c.cause} ${c.confidence.toFixed(2)}`).join(', ') || 'no cause'}; ${run.diagnosis.requests} request(s).`);
      await documents.show(run.report);
      announce(ui, run, followUps);
      return run;
    } catch (err) {
      if (cancelled) {
        void ui.notify('info', `Mesh Doctor: the diagnosis of ${label} was cancelled.`);
        return undefined;
      }
      ctx.output.warn(`Diagnose ${label}: ${describeAccessFailure(err)}`);
      void ui.notify('error', `Mesh Doctor: could not diagnose ${label}: ${describeAccessFailure(err)}`);
      return undefined;
    }
  };
}
