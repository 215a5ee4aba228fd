import * as vscode from 'vscode';
import { correlate, type CorrelationResult } from '../core/correlate';
import { accessLogTelemetry } from '../core/correlate/noEvidence';
import { raiseDebugLogging } from './links';
import { readConfig } from '../config';
import type { UserInterface } from '../services/ui';
import { describeAccessFailure } from '../services/accessHints';
import type { AnnotatorRun } from './annotatorPanel';
import type { AnnotatorPanels } from './annotatorPanels';
import { type AnnotateTarget, resolveAnnotateTarget } from './annotateTarget';
import type { LiveLogDocuments } from './liveLogDocuments';
import { fetchLiveInputs, type LiveClusterAccess, type LivePod } from './liveSources';
import { type RunSummary, toWireReset } from './protocol';
import { groupResets } from '../core/correlate/groups';
import { type AnnotateInput, editorInput, fileInputs } from './sources';

export const ANNOTATE_RESETS_COMMAND = 'meshDoctor.annotateResets';

export interface AnnotateDeps {
  readonly log: vscode.LogOutputChannel;
  readonly ui: UserInterface;
  readonly panels: AnnotatorPanels;
  readonly documents: LiveLogDocuments;
  /** Made on first live use, so annotating files never loads a kubeconfig. */
  readonly clusterAccess: () => LiveClusterAccess;
}

interface Collected {
  readonly title: string;
  readonly inputs: readonly AnnotateInput[];
  readonly warnings: readonly string[];
  readonly pods: RunSummary['pods'];
}

/** Progress messages at most this often: a report per line would cost more than the parsing. */
const PROGRESS_EVERY_LINES = 20_000;

async function collect(target: AnnotateTarget, deps: AnnotateDeps, runId: number, signal: AbortSignal, report: (text: string) => void): Promise<Collected> {
  switch (target.kind) {
    case 'editor': {
      const input = editorInput(target.editor);
      const scope = target.editor.selection.isEmpty ? '' : ' (selection)';
      return { title: `${input.source.label}${scope}`, inputs: [input], warnings: [], pods: [] };
    }
    case 'files': {
      const inputs = await fileInputs(target.uris);
      const title = inputs.length === 1 ? inputs[0].source.label : `${inputs.length} files`;
      return { title, inputs, warnings: [], pods: [] };
    }
    case 'pod': {
      const access = deps.clusterAccess();
      const { pod } = target.pod;
      let pods: readonly LivePod[] = [target.pod];
      let title = `${pod.namespace}/${pod.name}`;
      const warnings: string[] = [];
      if (target.workload) {
        report(`Finding the workload of ${pod.name}…`);
        const owned = await access.workloadPods(pod);
        if (owned && owned.pods.length > 0) {
          pods = owned.pods;
          title = `${pod.namespace}/${owned.label}`;
        } else {
          warnings.push(`${pod.name} belongs to no Deployment, StatefulSet or DaemonSet; only its own logs were read.`);
        }
      }
      const since = new Date(Date.now() - target.minutes * 60_000).toISOString();
      const fetched = await fetchLiveInputs(pods, since, access, deps.documents, runId, signal, report);
      if (fetched.inputs.length === 0 && !signal.aborted) {
        throw new Error(`no container log of ${title} could be read. ${fetched.warnings.join(' ')}`);
      }
      return {
        title: `${title}, last ${target.minutes} minutes`,
        inputs: fetched.inputs,
        warnings: [...warnings, ...fetched.warnings],
        pods: pods.map((p) => p.pod),
      };
    }
  }
}

function checkedSettings(): { windowSeconds: number; clockOffsetSeconds: number } {
  const { correlateWindowSeconds: windowSeconds, correlateClockOffsetSeconds: clockOffsetSeconds } = readConfig();
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new Error(`meshDoctor.correlate.windowSeconds must be a positive number of seconds (it is ${String(windowSeconds)}). Fix it in Settings.`);
  }
  if (!Number.isFinite(clockOffsetSeconds)) {
    throw new Error(`meshDoctor.correlate.clockOffsetSeconds must be a number of seconds (it is ${String(clockOffsetSeconds)}). Fix it in Settings.`);
  }
  return { windowSeconds, clockOffsetSeconds };
}

function toRun(runId: number, collected: Collected, result: CorrelationResult, settings: ReturnType<typeof checkedSettings>): AnnotatorRun {
  return {
    summary: {
      runId,
      title: collected.title,
      sources: collected.inputs.map((i) => i.source),
      pods: collected.pods,
      totalResets: result.resets.length,
      linesRead: result.linesRead,
      envoyEvents: result.envoyEvents,
      appRecords: result.appRecords,
      warnings: [...collected.warnings, ...result.warnings],
      windowSeconds: settings.windowSeconds,
      clockOffsetSeconds: settings.clockOffsetSeconds,
      totalTimelineEvents: result.timeline.length,
    },
    resets: result.resets.map(toWireReset),
    groups: groupResets(result.resets),
    timeline: result.timeline,
  };
}

const RAISE_DEBUG = 'Enable Debug Logging';
const SHOW_TELEMETRY = 'Show Access-Log Telemetry';

/**
 * Failures with no Envoy evidence at all (the usual state of a default install): says so, and
 * offers both ways to get evidence — debug logging for a while, or the Telemetry resource that turns
 * the access log on, opened as a document to review and apply by hand. Nothing is applied here.
 */
async function offerEvidence(run: AnnotatorRun, deps: AnnotateDeps): Promise<void> {
  const pod = run.summary.pods[0];
  const choice = await deps.ui.notify(
    'info',
    `Mesh Doctor: nothing in these logs explains the ${run.summary.totalResets} failure(s): they hold no access-log line and no Envoy debug line (a default Istio install writes neither). Raise debug logging and reproduce, or turn on access logging.`,
    RAISE_DEBUG,
    SHOW_TELEMETRY,
  );
  if (choice === RAISE_DEBUG) {
    await raiseDebugLogging(pod ?? null);
  } else if (choice === SHOW_TELEMETRY) {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: `# Apply with: kubectl apply -f <this file>. Mesh Doctor does not apply it.
${accessLogTelemetry(pod?.namespace ?? 'NAMESPACE')}
` });
    await vscode.window.showTextDocument(document, { preview: false });
  }
}

/**
 * Reads the chosen logs, correlates them under a cancellable progress notification and shows the
 * result in the annotator panel. Resolves with the run shown, or undefined when the user cancelled
 * or it failed (the failure has been shown).
 */
export function annotateResetsCommand(deps: AnnotateDeps): (...args: unknown[]) => Promise<AnnotatorRun | undefined> {
  return async (...args) => {
    try {
      const settings = checkedSettings();
      const target = await resolveAnnotateTarget(args, deps.ui);
      if (!target) return undefined;
      const runId = deps.panels.nextRunId();
      const outcome = await deps.ui.withProgress(
        'Annotating connection resets',
        async (progress, token) => {
          const abort = new AbortController();
          const cancelled = token.onCancellationRequested(() => abort.abort());
          try {
            const collected = await collect(target, deps, runId, abort.signal, (message) => progress.report({ message }));
            if (token.isCancellationRequested) return undefined;
            let nextReport = PROGRESS_EVERY_LINES;
            const result = await correlate(collected.inputs.map((i) => i.input), {
              windowSeconds: settings.windowSeconds,
              clockOffsetSeconds: settings.clockOffsetSeconds,
              isCancelled: () => token.isCancellationRequested,
              onProgress: (linesRead) => {
                if (linesRead < nextReport) return;
                nextReport = linesRead + PROGRESS_EVERY_LINES;
                progress.report({ message: `${linesRead.toLocaleString('en-US')} lines read` });
              },
            });
            // Cancelled while correlating: the result holds what was read so far, and says so.
            return { run: toRun(runId, collected, result, settings), noEnvoyEvidence: result.envoyEvents === 0 && result.resets.length > 0 };
          } finally {
            cancelled.dispose();
          }
        },
      );
      if (!outcome) {
        void deps.ui.notify('info', 'Mesh Doctor: annotation cancelled; the panel still shows the previous run.');
        return undefined;
      }
      const { run } = outcome;
      deps.log.info(`Annotated ${run.summary.title}: ${run.summary.totalResets} resets in ${run.summary.linesRead} lines.`);
      deps.panels.show(run);
      if (outcome.noEnvoyEvidence) void offerEvidence(run, deps);
      return run;
    } catch (err) {
      const message = describeAccessFailure(err);
      deps.log.error(`Annotate Connection resets failed: ${message}`);
      void deps.ui.notify('error', `Mesh Doctor could not annotate connection resets: ${message}`);
      return undefined;
    }
  };
}
