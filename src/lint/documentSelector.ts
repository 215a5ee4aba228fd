import type * as vscode from 'vscode';

/**
 * The languages an Istio manifest arrives in: plain YAML, and the YAML dialects other extensions
 * claim (Helm templates and values, compose files), so installing those does not switch linting off.
 * Matches `activationEvents` in package.json.
 */
export const MANIFEST_LANGUAGES: readonly string[] = ['yaml', 'helm', 'dockercompose'];

export const manifestSelector: vscode.DocumentSelector = MANIFEST_LANGUAGES.map((language) => ({ language }));

export function isManifestDocument(document: vscode.TextDocument): boolean {
  return MANIFEST_LANGUAGES.includes(document.languageId);
}

/** Glob for the YAML files the editor lints and the workspace scans read. */
export const MANIFEST_GLOB = '**/*.{yaml,yml}';
/** The same with `*.json` manifests, for workspace scans when meshDoctor.lint.includeJson is on (and the watchers, which filter by it). */
export const MANIFEST_OR_JSON_GLOB = '**/*.{yaml,yml,json}';

/** The glob of the workspace scans for the current setting. */
export function scanGlob(includeJson: boolean): string {
  return includeJson ? MANIFEST_OR_JSON_GLOB : MANIFEST_GLOB;
}
/** Folders no workspace scan reads: dependencies and Git's own files. */
const EXCLUDED_FOLDERS = ['node_modules', '.git'];
export const EXCLUDED_GLOB = `**/{${EXCLUDED_FOLDERS.join(',')}}/**`;

/** Whether a path (a URI's `path`) lies in a folder the scans exclude, for files a watcher reports. */
export function isExcludedPath(path: string): boolean {
  return path.split('/').some((segment) => EXCLUDED_FOLDERS.includes(segment));
}
