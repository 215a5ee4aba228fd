import * as vscode from 'vscode';
import { EXCLUDED_GLOB, MANIFEST_GLOB } from './documentSelector';
import { formatMegabytes, maxLintChars } from './sizeLimit';

/** A workspace holding more YAML than this is indexed partially, so the scan stays bounded. */
export const MAX_MANIFEST_FILES = 5000;

/** Bytes looked at to tell a binary file that happens to be named `.yaml` from text. */
const BINARY_SNIFF_BYTES = 8192;

export function findManifestFiles(token: vscode.CancellationToken): Thenable<vscode.Uri[]> {
  return vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED_GLOB, MAX_MANIFEST_FILES, token);
}

export type ManifestText = { readonly text: string } | { readonly skipped: string };

/**
 * The manifest's current text: the editor's (possibly unsaved) text when it is open, else the file
 * on disk. Files that are too large or binary are skipped with a reason instead of being decoded.
 */
export async function readManifestText(uri: vscode.Uri): Promise<ManifestText> {
  const limit = maxLintChars();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    const text = open.getText();
    return text.length > limit ? { skipped: `${formatMegabytes(text.length)} is above the lint size limit` } : { text };
  }
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > limit) return { skipped: `${formatMegabytes(stat.size)} is above the lint size limit` };
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { skipped: 'binary content' };
    return { text: new TextDecoder('utf-8').decode(bytes) };
  } catch (err) {
    return { skipped: `could not be read (${err instanceof Error ? err.message : String(err)})` };
  }
}

/** The name shown to the user: relative to the workspace folder. */
export function displayName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}
