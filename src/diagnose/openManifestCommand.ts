import * as vscode from 'vscode';
import type { UserInterface } from '../services/ui';
import { type DiagnosisSession, runSites, siteUri } from './diagnosisSession';

/**
 * Mesh Doctor: Open the Manifest of the Diagnosis: opens the workspace file that sets the value
 * behind the last diagnosis's causes, at the setting, where the lint feature's quick fix offers
 * the change (a pick when several manifests set it). Resolves to the opened editor, or undefined.
 */
export function openManifestCommand(ui: UserInterface, session: DiagnosisSession) {
  return async (): Promise<vscode.TextEditor | undefined> => {
    const run = session.last;
    const sites = run ? runSites(run) : [];
    if (!run || sites.length === 0) {
      void ui.notify('info', run ? `Mesh Doctor: no manifest in the workspace sets what the diagnosis of ${run.diagnosis.target} found.` : 'Mesh Doctor: run Mesh Doctor: Diagnose first.');
      return undefined;
    }
    const site =
      sites.length === 1
        ? sites[0]
        : (await ui.pick(sites.map((s) => ({ label: `${s.resource}: ${s.field} = ${s.value}`, description: `${s.file}:${s.startLine}`, site: s })), { title: 'Open the manifest that sets it' }))?.site;
    if (!site) return undefined;
    const uri = siteUri(run, site);
    if (!uri) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    // Sites are 1-based and may be stale after an edit: clamp to the document.
    const line = Math.min(site.startLine, document.lineCount) - 1;
    const range = document.lineAt(line).range;
    return vscode.window.showTextDocument(document, { selection: range, preview: false });
  };
}
