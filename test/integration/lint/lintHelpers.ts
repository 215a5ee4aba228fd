import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from '../helpers';

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, 'lint', name);
}

export async function openFixture(name: string): Promise<vscode.TextDocument> {
  await activateExtension();
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * Opens a copy of a fixture outside the workspace, for tests that edit: other suites run in the same
 * workspace (sometimes at the same time), and a stray save must never change a shared fixture.
 */
export async function openScratchCopy(name: string): Promise<vscode.TextDocument> {
  await activateExtension();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-lint-edit-'));
  const copy = path.join(dir, name);
  fs.copyFileSync(fixtureUri(name).fsPath, copy);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(copy));
  await vscode.window.showTextDocument(document);
  return document;
}

export async function codeLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

export function lensTitles(lenses: readonly vscode.CodeLens[]): string[] {
  return lenses.map((l) => l.command?.title ?? '');
}

/** A diagnostic's rule code, whether VS Code holds it plain or with its docs link. */
export function diagnosticCode(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

/**
 * Mesh Doctor's diagnostics for a file, without the once-per-mesh-config `startup-order` note: these
 * suites are about connect timeouts, and the note (asserted on its own in lenses.test.ts) would be
 * one more on every mesh-wide fixture.
 */
export function meshDoctorDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mesh-doctor' && diagnosticCode(d) !== 'startup-order');
}

/** Waits until the Problems panel holds exactly `count` Mesh Doctor diagnostics for the file. */
export function waitForDiagnostics(uri: vscode.Uri, count: number, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${count} mesh-doctor diagnostics on ${uri.path} (have ${meshDoctorDiagnostics(uri).length})`,
    () => {
      const found = meshDoctorDiagnostics(uri);
      return found.length === count ? found : undefined;
    },
    timeoutMs,
  );
}

/** Throws away unsaved edits so every test starts from the file on disk. */
export async function revert(document: vscode.TextDocument): Promise<void> {
  if (!document.isDirty) return;
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await waitFor(`revert of ${document.uri.path}`, () => (document.isDirty ? undefined : true));
}

export function lineText(document: vscode.TextDocument, needle: string): string {
  const line = document.getText().split(/\r?\n/).find((l) => l.includes(needle));
  assert.ok(line !== undefined, `no line containing ${needle} in ${document.uri.path}`);
  return line.trim();
}

/** Sets a Mesh Doctor setting for the workspace; returns the function that restores it. */
export async function withSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('meshDoctor');
  const before = config.inspect(key)?.workspaceValue;
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  return async () => {
    await vscode.workspace.getConfiguration('meshDoctor').update(key, before, vscode.ConfigurationTarget.Workspace);
  };
}
