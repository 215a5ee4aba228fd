import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'mesh-doctor.mesh-doctor';

/** Polls until `probe` returns a value that is not undefined, failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fails if `work` has not settled after `timeoutMs`: the extension host must never hang on bad input. */
export async function within<T>(what: string, timeoutMs: number, work: Thenable<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, 'lint', name);
}

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the test host`);
  await extension.activate();
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

export function meshDoctorDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mesh-doctor');
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
