import * as vscode from 'vscode';
import type { PodLike } from '../core/pods';
import type { PodRef } from '../kube/types';
import type { UserInterface } from '../services/ui';
import type { LivePod } from './liveSources';

/** What one "Annotate Connection resets" run reads. */
export type AnnotateTarget =
  | { readonly kind: 'editor'; readonly editor: vscode.TextEditor }
  | { readonly kind: 'files'; readonly uris: readonly vscode.Uri[] }
  /** A pod's logs, or (`workload`) the logs of every pod of the workload that owns it. */
  | { readonly kind: 'pod'; readonly pod: LivePod; readonly workload: boolean; readonly minutes: number };

const WINDOW_MINUTES = [5, 15, 60] as const;
const MESH_VIEW_ID = 'meshDoctor.mesh';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function asPodRef(v: unknown): PodRef | null {
  if (!isRecord(v)) return null;
  const { context, namespace, name } = v;
  return typeof context === 'string' && typeof namespace === 'string' && typeof name === 'string' ? { context, namespace, name } : null;
}

/** A Mesh tree pod node (or any object with `pod: PodRef`, optionally the V1Pod as `raw`). */
function asLivePod(v: unknown): LivePod | null {
  if (!isRecord(v)) return null;
  const pod = asPodRef(v.pod);
  if (!pod) return null;
  return isRecord(v.raw) ? { pod, raw: v.raw as PodLike } : { pod };
}

type WindowItem = vscode.QuickPickItem & { minutes?: number; workload?: boolean };

/** One pick for both questions: which time window, and this pod or its whole workload. */
async function pickWindow(pod: LivePod, ui: UserInterface): Promise<AnnotateTarget | undefined> {
  const items: WindowItem[] = [];
  for (const workload of [false, true]) {
    items.push({ label: workload ? 'All pods of its workload' : 'This pod', kind: vscode.QuickPickItemKind.Separator });
    for (const minutes of WINDOW_MINUTES) {
      items.push({
        label: `Last ${minutes} minutes`,
        description: workload ? 'every pod of the Deployment, StatefulSet or DaemonSet' : pod.pod.name,
        minutes,
        workload,
      });
    }
  }
  const picked = await ui.pick(items, {
    title: `Annotate connection resets: logs of ${pod.pod.namespace}/${pod.pod.name}`,
    placeHolder: 'Which time window of the app and istio-proxy logs?',
  });
  return picked?.minutes === undefined ? undefined : { kind: 'pod', pod, minutes: picked.minutes, workload: picked.workload === true };
}

async function podTarget(pod: LivePod, args: Record<string, unknown>, ui: UserInterface): Promise<AnnotateTarget | undefined> {
  const { minutes, workload } = args;
  if (typeof minutes === 'number' && minutes > 0) return { kind: 'pod', pod, minutes, workload: workload === true };
  return pickWindow(pod, ui);
}

async function pickFiles(): Promise<AnnotateTarget | undefined> {
  const uris = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Annotate',
    title: 'Log files to correlate (application and Envoy logs)',
    filters: { 'Log files': ['log', 'txt', 'json', 'out'], 'All files': ['*'] },
  });
  return uris && uris.length > 0 ? { kind: 'files', uris } : undefined;
}

function editorTarget(ui: UserInterface): AnnotateTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void ui.notify('warning', 'Mesh Doctor: no active editor. Open a log file, or choose "Files…" to pick logs from disk.');
    return undefined;
  }
  return { kind: 'editor', editor };
}

/** Asks where the logs come from when the command was run from the palette. */
async function pickSource(ui: UserInterface): Promise<AnnotateTarget | undefined> {
  const editor = vscode.window.activeTextEditor;
  const items: (vscode.QuickPickItem & { id: 'editor' | 'files' | 'pod' })[] = [
    {
      id: 'editor',
      label: 'Active editor',
      description: editor ? (editor.selection.isEmpty ? 'whole file' : 'selection') : 'no editor open',
      detail: editor ? vscode.workspace.asRelativePath(editor.document.uri, false) : undefined,
    },
    { id: 'files', label: 'Files…', description: 'pick one or more log files from disk' },
    { id: 'pod', label: 'Pod from the Mesh view…', description: 'right-click a pod in the Mesh view to read its live logs' },
  ];
  const picked = await ui.pick(items, { title: 'Annotate connection resets', placeHolder: 'Which logs?' });
  switch (picked?.id) {
    case 'editor':
      return editorTarget(ui);
    case 'files':
      return pickFiles();
    case 'pod':
      await vscode.commands.executeCommand(`${MESH_VIEW_ID}.focus`);
      void ui.notify('info', 'Mesh Doctor: right-click a pod in the Mesh view and choose "Annotate Connection resets".');
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Turns the command's arguments into a target: a Mesh tree pod node, Explorer file URIs
 * (`uri, uris` as VS Code passes them), `{ source: 'activeEditor' | 'files', uris? }` or
 * `{ pod, minutes, workload? }` from other code, or nothing (ask).
 */
export async function resolveAnnotateTarget(args: readonly unknown[], ui: UserInterface): Promise<AnnotateTarget | undefined> {
  const [first, second] = args;
  if (first instanceof vscode.Uri) {
    const uris = Array.isArray(second) && second.every((u) => u instanceof vscode.Uri) && second.length > 0 ? (second as vscode.Uri[]) : [first];
    return { kind: 'files', uris };
  }
  const live = asLivePod(first);
  if (live && isRecord(first)) return podTarget(live, first, ui);
  if (isRecord(first) && first.source === 'activeEditor') return editorTarget(ui);
  if (isRecord(first) && first.source === 'files' && Array.isArray(first.uris) && first.uris.every((u) => u instanceof vscode.Uri)) {
    return { kind: 'files', uris: first.uris as vscode.Uri[] };
  }
  return pickSource(ui);
}
