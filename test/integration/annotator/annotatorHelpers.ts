import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AnnotatorRun, AnnotatorSnapshot, RenderedReport } from '../../../src/annotator/annotatorPanel';
import { activateExtension, waitFor } from '../lint/lintHelpers';

export { activateExtension, waitFor };

export const ANNOTATE = 'meshDoctor.annotateResets';
export const SNAPSHOT = 'meshDoctor.internal.annotatorSnapshot';
export const WEBVIEW_MESSAGE = 'meshDoctor.internal.annotatorMessage';

export function annotatorFixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, 'annotator', name);
}

export async function annotate(...args: unknown[]): Promise<AnnotatorRun> {
  const run = await vscode.commands.executeCommand<AnnotatorRun | undefined>(ANNOTATE, ...args);
  assert.ok(run, 'Annotate Connection resets showed no run (it failed or was cancelled; see the Mesh Doctor output)');
  return run;
}

/** Waits until the webview script reports having drawn `run` (its verdicts read back from the DOM). */
export async function renderedFor(run: AnnotatorRun, timeoutMs = 20_000): Promise<RenderedReport> {
  return waitFor(
    `the annotator webview to render run ${run.summary.runId}`,
    async () => {
      const snapshot = await vscode.commands.executeCommand<AnnotatorSnapshot>(SNAPSHOT);
      return snapshot.rendered?.runId === run.summary.runId ? snapshot.rendered : undefined;
    },
    timeoutMs,
  );
}

/** Sets a user setting for the duration of `work`, then puts the previous value back. */
export async function withSetting<T>(key: string, value: unknown, work: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('meshDoctor');
  const before = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await work();
  } finally {
    await vscode.workspace.getConfiguration('meshDoctor').update(key, before, vscode.ConfigurationTarget.Global);
  }
}

/** The active editor's document name and selected text, once it shows `name`. */
export async function activeSelection(name: string): Promise<{ line: number; text: string }> {
  return waitFor(`an editor on ${name} to become active`, () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !editor.document.uri.path.endsWith(name)) return undefined;
    return { line: editor.selection.start.line, text: editor.document.getText(editor.selection) };
  });
}
