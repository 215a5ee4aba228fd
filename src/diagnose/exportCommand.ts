import * as vscode from 'vscode';
import { reportJson } from '../core/diagnose/report';
import type { UserInterface } from '../services/ui';
import { type DiagnosisSession, runMarkdown } from './diagnosisSession';

export interface ExportedReport {
  readonly markdown: vscode.Uri;
  readonly json: vscode.Uri;
}

/** The JSON beside the Markdown file: the same name with `.json`. */
function jsonBeside(markdown: vscode.Uri): vscode.Uri {
  const name = markdown.path.split('/').pop() ?? 'diagnosis.md';
  const stem = name.toLowerCase().endsWith('.md') ? name.slice(0, -3) : name;
  return vscode.Uri.joinPath(markdown, '..', `${stem}.json`);
}

/** A file name for the report from when it was made (no cluster text in a path). */
function defaultName(to: string): string {
  const stamp = to.replace(/[^0-9T]/g, '').slice(0, 15);
  return `mesh-doctor-diagnosis-${stamp || 'report'}.md`;
}

/**
 * Mesh Doctor: Export Report: saves the last diagnosis, and its verification once run, as
 * Markdown for the postmortem and as JSON beside it. Resolves to both files, or undefined.
 */
export function exportReportCommand(ui: UserInterface, session: DiagnosisSession) {
  return async (): Promise<ExportedReport | undefined> => {
    const run = session.last;
    if (!run) {
      void ui.notify('info', 'Mesh Doctor: run Mesh Doctor: Diagnose first; Export Report saves its report.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = defaultName(run.diagnosis.window.to);
    const markdown = await ui.chooseSaveFile('Export the diagnosis (Markdown; the JSON is saved beside it)', folder ? vscode.Uri.joinPath(folder, name) : undefined, { Markdown: ['md'] });
    if (!markdown) return undefined;
    const json = jsonBeside(markdown);
    try {
      await vscode.workspace.fs.writeFile(markdown, Buffer.from(runMarkdown(run), 'utf8'));
      await vscode.workspace.fs.writeFile(json, Buffer.from(`${JSON.stringify(reportJson(run.diagnosis, run.verification), null, 2)}\n`, 'utf8'));
    } catch (err) {
      void ui.notify('error', `Mesh Doctor: could not export the report: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    void ui.notify('info', `Mesh Doctor: exported the diagnosis${run.verification ? ' and its verification' : ''} to ${vscode.workspace.asRelativePath(markdown)} and ${vscode.workspace.asRelativePath(json)}.`);
    return { markdown, json };
  };
}
