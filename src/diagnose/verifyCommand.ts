import { readConfig } from '../config';
import { elapsedText } from '../core/diagnose/report';
import type { Diagnosis, VerifyResult } from '../core/diagnose/types';
import { mapBounded } from '../core/envoyLogging/concurrency';
import { parseNamespacedPod } from '../core/kubeNames';
import { type FeatureContext } from '../ctx';
import type { DiagnoseTarget } from '../kube/diagnoseEvidence';
import { openClusterAccess } from '../kube/transport';
import { verifyFix } from '../kube/verifyFix';
import { describeAccessFailure } from '../services/accessHints';
import type { Configuration } from '../services/configuration';
import { abortOnCancel, type UserInterface } from '../services/ui';
import type { DiagnosisRun, DiagnosisSession } from './diagnosisSession';
import { positiveOr } from './options';

const MAX_WAIT_SECONDS = 24 * 3600;

/** How Verify Fix waits; the defaults are `mesh-doctor verify`'s. */
export interface VerifyFixOptions {
  /** Seconds the failure counters must stay flat with the fixed value (default 60). */
  readonly windowSeconds?: number;
  /** Seconds between looks (default 5). */
  readonly intervalSeconds?: number;
  /** Seconds to wait at most (default 600). */
  readonly timeoutSeconds?: number;
}

/** The causes Verify Fix can check: it watches connect timeouts and connect failures. */
const VERIFIABLE = new Set(['connect-timeout', 'upstream-connect-failure']);
/** Targets of a namespace's diagnosis verified at once. */
const VERIFY_CONCURRENCY = 4;

export function verifiableClusters(d: Diagnosis): string[] {
  return [...new Set(d.causes.filter((c) => VERIFIABLE.has(c.cause)).flatMap((c) => c.clusters))].sort();
}

/** What to watch: the diagnosed pod or workload; for a namespace, each pod the verifiable causes were seen on. */
function verifyTargets(run: DiagnosisRun): DiagnoseTarget[] {
  if (run.scope.kind === 'target') return [run.scope.target];
  const { context } = run.scope;
  const pods = new Set(run.diagnosis.causes.filter((c) => VERIFIABLE.has(c.cause)).flatMap((c) => c.pods));
  return [...pods].flatMap((p) => {
    const parsed = parseNamespacedPod(p);
    return typeof parsed === 'string' ? [] : [{ kind: 'pod' as const, pod: { context, ...parsed } }];
  });
}

/** One result over several targets: verified when every one is; a pod two targets both checked counts once. */
function merged(results: readonly VerifyResult[]): VerifyResult {
  const seen = new Set<string>();
  return {
    verified: results.every((r) => r.verified),
    tookSeconds: Math.max(0, ...results.map((r) => r.tookSeconds)),
    checks: results.flatMap((r) => r.checks).filter((c) => !seen.has(`${c.pod}/${c.cluster}`) && seen.add(`${c.pod}/${c.cluster}`)),
    stillFailing: [...new Set(results.flatMap((r) => r.stillFailing))],
    requests: results.reduce((sum, r) => sum + r.requests, 0),
  };
}

/**
 * Mesh Doctor: Verify Fix, after the user applied the fix to the cluster: watches the last
 * diagnosis's pods until the affected clusters have a connect timeout at or above the minimum and
 * their connect failures stayed flat for the window. Adds the result to the report and says
 * "verified after 1 m 12 s" or what still fails. Resolves to the result, or undefined.
 */
export function verifyFixCommand(ctx: FeatureContext, ui: UserInterface, config: Configuration, session: DiagnosisSession) {
  return async (options: VerifyFixOptions = {}): Promise<VerifyResult | undefined> => {
    const run = session.last;
    if (!run) {
      void ui.notify('info', 'Mesh Doctor: run Mesh Doctor: Diagnose first; Verify Fix checks the fix for its causes.');
      return undefined;
    }
    const clusters = verifiableClusters(run.diagnosis);
    const targets = verifyTargets(run);
    if (clusters.length === 0 || targets.length === 0) {
      void ui.notify('info', `Mesh Doctor: nothing to verify for ${run.diagnosis.target}: Verify Fix watches connect timeouts and connect failures, and the diagnosis found no such cause.`);
      return undefined;
    }
    const settings = readConfig();
    let cancelled = false;
    try {
      const result = await ui.withProgress(`Mesh Doctor: verifying the fix on ${run.diagnosis.target}`, (progress, token) =>
        abortOnCancel(token, async (signal) => {
          signal.addEventListener('abort', () => (cancelled = true), { once: true });
          const access = openClusterAccess(settings, run.scope.context);
          const verifyOptions = {
            clusters,
            minimumSeconds: config.minimum.seconds,
            windowSeconds: positiveOr(options.windowSeconds, 60, MAX_WAIT_SECONDS),
            intervalSeconds: positiveOr(options.intervalSeconds, 5, MAX_WAIT_SECONDS),
            timeoutSeconds: positiveOr(options.timeoutSeconds, 600, MAX_WAIT_SECONDS),
            signal,
            onProgress: (message: string) => progress.report({ message }),
          };
          const each = await mapBounded(targets, VERIFY_CONCURRENCY, (t) => verifyFix(access, t, verifyOptions), signal);
          const failed = each.find((r) => !r.ok);
          if (failed && !failed.ok) throw failed.error;
          return merged(each.flatMap((r) => (r.ok ? [r.value] : [])));
        }),
      );
      session.verified(run, result);
      ctx.output.info(`Verify Fix on ${run.diagnosis.target}: ${result.verified ? 'verified' : 'not verified'} after ${result.tookSeconds} s, ${result.requests} request(s).`);
      const changes = [...new Set(result.checks.map((c) => `${c.before} → ${c.after}`))].join(', ');
      if (result.verified) void ui.notify('info', `Mesh Doctor: verified after ${elapsedText(result.tookSeconds)}: connect timeout ${changes} on ${clusters.join(', ')}, connect failures flat since.`);
      else void ui.notify('warning', `Mesh Doctor: not verified after ${elapsedText(result.tookSeconds)}; still failing: ${result.stillFailing.join('; ')}`);
      return result;
    } catch (err) {
      if (cancelled) {
        void ui.notify('info', `Mesh Doctor: Verify Fix on ${run.diagnosis.target} was cancelled.`);
        return undefined;
      }
      ctx.output.warn(`Verify Fix on ${run.diagnosis.target}: ${describeAccessFailure(err)}`);
      void ui.notify('error', `Mesh Doctor: could not verify the fix on ${run.diagnosis.target}: ${describeAccessFailure(err)}`);
      return undefined;
    }
  };
}
