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

/** Glob for the files the workspace index and the workspace lint read. */
export const MANIFEST_GLOB = '**/*.{yaml,yml}';
export const EXCLUDED_GLOB = '**/{node_modules,.git}/**';
