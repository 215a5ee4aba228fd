import * as vscode from 'vscode';
import { fixAllEdits, type FixEdit } from '../core/lint';
import { revealInvisible } from '../core/text/invisible';
import type { Configuration } from '../services/configuration';
import type { UserInterface } from '../services/ui';
import type { LintWorkerClient } from './lintWorkerClient';
import { fixAllEdit } from './quickFixProvider';
import { toRange } from './toVscode';
import { displayName } from './workspaceFiles';
import { lintWorkspaceFiles } from './workspaceLintRun';

export const FIX_ALL_IN_WORKSPACE = 'meshDoctor.fixAllInWorkspace';

/** Files named in the confirmation; the rest are counted. */
const FILES_LISTED = 15;

export interface FixAllSummary {
  /** Files with fixes, and the fixes in them, as offered for confirmation. */
  readonly files: number;
  readonly fixes: number;
  readonly applied: boolean;
  /** Files left alone because they changed between the lint and the confirmation. */
  readonly stale: number;
}

interface FileFixes {
  readonly uri: vscode.Uri;
  readonly fixes: readonly FixEdit[];
}

/**
 * `meshDoctor.fixAllInWorkspace` (or, from the explorer, in one folder): lints every manifest
 * through Lint Workspace's run, then, after the user confirms the count of files and fixes, applies
 * every safe fix (the quick fixes, never Helm template text, quoting kept) as one workspace edit.
 * A file whose value changed while the user was asked is left alone.
 */
export function fixAllInWorkspaceCommand(
  worker: LintWorkerClient,
  config: Configuration,
  diagnostics: vscode.DiagnosticCollection,
  log: vscode.LogOutputChannel,
  ui: UserInterface,
): (folder?: unknown) => Promise<FixAllSummary> {
  return async (folder?: unknown) => {
    const scope = folder instanceof vscode.Uri ? folder : undefined;
    const found: FileFixes[] = [];
    const summary = await ui.withProgress('Mesh Doctor: finding fixes', (progress, token) =>
      lintWorkspaceFiles(worker, config, diagnostics, log, {
        token,
        folder: scope,
        onProgress: (done, total) => progress.report({ message: `${done}/${total}`, increment: 100 / total }),
        onLinted: (uri, result) => {
          const fixes = fixAllEdits(result.findings);
          if (fixes.length > 0) found.push({ uri, fixes });
        },
      }),
    );
    const fixes = found.reduce((n, f) => n + f.fixes.length, 0);
    const nothing: FixAllSummary = { files: found.length, fixes, applied: false, stale: 0 };
    if (summary.cancelled) return nothing;
    if (fixes === 0) {
      void ui.notify('info', `Mesh Doctor: nothing to fix in ${summary.linted} manifest${summary.linted === 1 ? '' : 's'}.`);
      return nothing;
    }
    const question = `Apply ${fixes} Mesh Doctor fix${fixes === 1 ? '' : 'es'} in ${found.length} file${found.length === 1 ? '' : 's'}?`;
    if (!(await ui.confirm(question, confirmDetail(found), 'Apply Fixes'))) return nothing;
    const edit = new vscode.WorkspaceEdit();
    let stale = 0;
    for (const file of found) {
      if (await unchanged(file)) fixAllEdit(file.uri, file.fixes, edit);
      else stale++;
    }
    // A refactoring: VS Code saves the files it opened for it (files.refactoring.autoSave), leaving already-edited ones unsaved.
    const applied = edit.size > 0 && (await vscode.workspace.applyEdit(edit, { isRefactoring: true }));
    const skippedNote = stale > 0 ? ` ${stale} file${stale === 1 ? '' : 's'} changed meanwhile and ${stale === 1 ? 'was' : 'were'} left alone; run it again.` : '';
    void ui.notify(applied ? 'info' : 'warning', applied ? `Mesh Doctor: applied fixes in ${found.length - stale} file${found.length - stale === 1 ? '' : 's'}.${skippedNote}` : `Mesh Doctor changed nothing.${skippedNote}`);
    return { files: found.length, fixes, applied, stale };
  };
}

/** The files and how many fixes each gets, the first FILES_LISTED of them by name. */
function confirmDetail(found: readonly FileFixes[]): string {
  const listed = found.slice(0, FILES_LISTED).map((f) => `${revealInvisible(displayName(f.uri))}: ${f.fixes.length}`);
  const more = found.length > FILES_LISTED ? [`and ${found.length - FILES_LISTED} more files`] : [];
  return [...listed, ...more, 'Each value is raised to the minimum, in its quoting style; Helm template text is never changed.'].join('\n');
}

/** Whether every value is still what was linted (the user or Git may have changed the file while asked). */
async function unchanged(file: FileFixes): Promise<boolean> {
  try {
    const document = await vscode.workspace.openTextDocument(file.uri);
    return file.fixes.every((fix) => document.getText(toRange(fix.range)) === fix.expected);
  } catch {
    return false;
  }
}
