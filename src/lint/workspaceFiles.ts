import * as vscode from 'vscode';
import { EXCLUDED_GLOB, scanGlob } from './documentSelector';
import { readManifestFile } from '../files/manifestFile';
import { formatMegabytes, maxLintChars } from './sizeLimit';

/** A workspace holding more YAML than this is indexed partially, so the scan stays bounded. */
export const MAX_MANIFEST_FILES = 5000;

/** Bytes looked at to tell a binary file that happens to be named `.yaml` from text. */
const BINARY_SNIFF_BYTES = 8192;

/** The workspace's manifests (or those under `folder`): YAML, and JSON when `includeJson` (meshDoctor.lint.includeJson). */
export function findManifestFiles(token: vscode.CancellationToken, includeJson: boolean, folder?: vscode.Uri): Thenable<vscode.Uri[]> {
  const glob = folder === undefined ? scanGlob(includeJson) : new vscode.RelativePattern(folder, scanGlob(includeJson));
  return vscode.workspace.findFiles(glob, EXCLUDED_GLOB, MAX_MANIFEST_FILES, token);
}

export type ManifestText = { readonly text: string } | { readonly skipped: string };

/**
 * The manifest's current text: the editor's (possibly unsaved) text when it is open, else the file
 * on disk. Files that are too large, binary or not regular files (a FIFO or a link to /dev/zero
 * named `.yaml`, whose size reads 0) are skipped with a reason instead of being read.
 */
export async function readManifestText(uri: vscode.Uri): Promise<ManifestText> {
  const limit = maxLintChars();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    const text = open.getText();
    return text.length > limit ? { skipped: tooLarge(text.length) } : { text };
  }
  return readManifestFromDisk(uri);
}

/** The manifest as saved, whether or not an editor has it open (with the same bounds as readManifestText). */
export async function readManifestFromDisk(uri: vscode.Uri): Promise<ManifestText> {
  const limit = maxLintChars();
  try {
    const read = uri.scheme === 'file' ? await readLocalFile(uri, limit) : await readRemoteFile(uri, limit);
    if ('skipped' in read) return read;
    return read.text.slice(0, BINARY_SNIFF_BYTES).includes('\u0000') ? { skipped: 'binary content' } : read;
  } catch (err) {
    return { skipped: `could not be read (${err instanceof Error ? err.message : String(err)})` };
  }
}

const tooLarge = (size: number): string => `${formatMegabytes(size)} is above the lint size limit`;

/** A local file, read with a bound: never more than the limit, whatever its size said. */
async function readLocalFile(uri: vscode.Uri, limit: number): Promise<ManifestText> {
  const read = await readManifestFile(uri.fsPath, limit);
  if (read.kind === 'not-regular') return { skipped: `not a regular file (${read.what})` };
  if (read.kind === 'too-large') return { skipped: tooLarge(read.bytes) };
  return { text: read.text };
}

/** A file of another file system provider (remote, virtual), which offers only whole-file reads. */
async function readRemoteFile(uri: vscode.Uri, limit: number): Promise<ManifestText> {
  const stat = await vscode.workspace.fs.stat(uri);
  if ((stat.type & vscode.FileType.File) === 0) return { skipped: 'not a regular file' };
  if (stat.size > limit) return { skipped: tooLarge(stat.size) };
  return { text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)) };
}

/** The name shown to the user: relative to the workspace folder. */
export function displayName(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}
