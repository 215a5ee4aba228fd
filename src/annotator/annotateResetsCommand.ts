import type * as vscode from 'vscode';
import { correlate, type CorrelationResult } from '../core/correlate';
import { readConfig } from '../config';
import type { UserInterface } from '../services/ui';
import type { AnnotatorRun } from './annotatorPanel';
import type { AnnotatorPanels } from './annotatorPanels';
import { type AnnotateTarget, resolveAnnotateTarget } from './annotateTarget';
import type { LiveLogDocuments } from './liveLogDocuments';
import { describeFailure, fetchLiveInputs, type LiveClusterAccess, type LivePod } from './liveSources';
import { type RunSummary, toWireReset } from './protocol';
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
    timeline: result.timeline,
  };
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
      const run = await deps.ui.withProgress(
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
            return toRun(runId, collected, result, settings);
          } finally {
            cancelled.dispose();
          }
        },
      );
      if (!run) {
        void deps.ui.notify('info', 'Mesh Doctor: annotation cancelled; the panel still shows the previous run.');
        return undefined;
      }
      deps.log.info(`Annotated ${run.summary.title}: ${run.summary.totalResets} resets in ${run.summary.linesRead} lines.`);
      deps.panels.show(run);
      return run;
    } catch (err) {
      const message = describeFailure(err);
      deps.log.error(`Annotate Connection resets failed: ${message}`);
      void deps.ui.notify('error', `Mesh Doctor could not annotate connection resets: ${message}`);
      return undefined;
    }
  };
}
