import * as vscode from 'vscode';
import { correlate, type CorrelationResult } from '../core/correlate';
import { readConfig } from '../config';
import type { Ctx } from '../ctx';
import type { AnnotatorRun } from './annotatorPanel';
import type { AnnotatorPanels } from './annotatorPanels';
import { type AnnotateTarget, resolveAnnotateTarget } from './annotateTarget';
import { commandExists, ENABLE_DEBUG_LOGGING_COMMAND, FIND_SETTING_COMMAND, REVEAL_CLUSTER_COMMAND } from './links';
import type { LiveLogDocuments } from './liveLogDocuments';
import { describeFailure, fetchLiveInputs, type LiveClusterAccess, type LivePod } from './liveSources';
import { type Capabilities, type RunSummary, toWireReset } from './protocol';
import { type AnnotateInput, editorInput, fileInputs } from './sources';
import { notificationText } from '../core/text/markupEscape';

export const ANNOTATE_RESETS_COMMAND = 'meshDoctor.annotateResets';

export interface AnnotateDeps {
  readonly ctx: Ctx;
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

async function capabilities(): Promise<Capabilities> {
  const [revealCluster, findSetting, enableDebugLogging] = await Promise.all(
    [REVEAL_CLUSTER_COMMAND, FIND_SETTING_COMMAND, ENABLE_DEBUG_LOGGING_COMMAND].map(commandExists),
  );
  return { revealCluster, findSetting, enableDebugLogging };
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

function toRun(runId: number, collected: Collected, result: CorrelationResult, settings: ReturnType<typeof checkedSettings>, caps: Capabilities): AnnotatorRun {
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
    capabilities: caps,
    resets: result.resets.map(toWireReset),
    timeline: result.timeline,
  };
}

/**
 * Reads the chosen logs, correlates them under a cancellable progress notification and shows the
 * result in the annotator panel. Resolves with the run shown (tests use it), or undefined when the
 * user cancelled or it failed (the failure has been shown).
 */
export function annotateResetsCommand(deps: AnnotateDeps): (...args: unknown[]) => Promise<AnnotatorRun | undefined> {
  return async (...args) => {
    try {
      const settings = checkedSettings();
      const target = await resolveAnnotateTarget(args);
      if (!target) return undefined;
      const runId = deps.panels.nextRunId();
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Annotating connection resets', cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const cancelled = token.onCancellationRequested(() => abort.abort());
          try {
            const collected = await collect(target, deps, runId, abort.signal, (message) => progress.report({ message: notificationText(message) }));
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
            return toRun(runId, collected, result, settings, await capabilities());
          } finally {
            cancelled.dispose();
          }
        },
      );
      if (!run) {
        void vscode.window.showInformationMessage('Mesh Doctor: annotation cancelled; the panel still shows the previous run.');
        return undefined;
      }
      deps.ctx.output.info(`Annotated ${run.summary.title}: ${run.summary.totalResets} resets in ${run.summary.linesRead} lines.`);
      deps.panels.show(run);
      return run;
    } catch (err) {
      const message = describeFailure(err);
      deps.ctx.output.error(`Annotate Connection resets failed: ${message}`);
      void vscode.window.showErrorMessage(notificationText(`Mesh Doctor could not annotate connection resets: ${message}`));
      return undefined;
    }
  };
}
