import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixAllInWorkspaceCommand } from '../../../src/lint/fixAllInWorkspace';
import { LintWorkerClient } from '../../../src/lint/lintWorkerClient';
import { Configuration } from '../../../src/services/configuration';
import { fixtureUri, revert, waitForDiagnostics } from './lintHelpers';
import { activateExtension, ScriptedUi, TestContext, waitFor } from '../helpers';

/** A pool-wide low value (double-quoted) and a per-port one (single-quoted): two findings, two fixes (shared with the unit test). */
const TWO_LOW = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'test/fixtures/fix-all/two-low-dr.yaml'), 'utf8');
const TWO_FIXED = TWO_LOW.replace('"1s"', '"10s"').replace("'2s'", "'10s'");
const ONE_LOW = TWO_LOW.split('\n').slice(0, 9).join('\n').replace('"1s"', '3s') + '\n';
const HELM = TWO_LOW.replace('"1s"', '"{{ .Values.t | default "1s" }}"');

async function openScratch(text: string): Promise<vscode.TextDocument> {
  await activateExtension();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-fix-all-')), 'dr.yaml');
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(document);
  return document;
}

async function codeActions(document: vscode.TextDocument, range: vscode.Range, kind: string, title: string): Promise<vscode.CodeAction> {
  return waitFor(`the "${title}" code action`, async () => {
    const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, kind);
    return (found ?? []).find((a) => a.title === title);
  });
}

const wholeFile = (document: vscode.TextDocument): vscode.Range => new vscode.Range(0, 0, document.lineCount, 0);

describe('lint: Fix All in a file', function () {
  this.timeout(30_000);

  it('the source.fixAll.meshDoctor action fixes both findings, keeping each quoting style', async () => {
    const document = await openScratch(TWO_LOW);
    try {
      await waitForDiagnostics(document.uri, 2);
      const action = await codeActions(document, wholeFile(document), 'source.fixAll.meshDoctor', 'Fix all Mesh Doctor problems');
      assert.equal(action.kind?.value, 'source.fixAll.meshDoctor');
      assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
      assert.equal(document.getText(), TWO_FIXED);
      await waitForDiagnostics(document.uri, 0);
    } finally {
      await revert(document);
    }
  });

  it('offers "Fix all Mesh Doctor problems in this file" beside the quick fix, and never touches Helm template text', async () => {
    const document = await openScratch(TWO_LOW);
    try {
      const [first] = await waitForDiagnostics(document.uri, 2);
      const action = await codeActions(document, first.range, vscode.CodeActionKind.QuickFix.value, 'Fix all Mesh Doctor problems in this file');
      assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
      assert.equal(document.getText(), TWO_FIXED);
    } finally {
      await revert(document);
    }
    const template = await openScratch(HELM);
    try {
      await waitForDiagnostics(template.uri, 2);
      const action = await codeActions(template, wholeFile(template), 'source.fixAll.meshDoctor', 'Fix all Mesh Doctor problems');
      assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
      assert.equal(template.getText(), HELM.replace("'2s'", "'10s'"));
    } finally {
      await revert(template);
    }
  });
});

describe('lint: Fix All in Workspace', function () {
  this.timeout(60_000);
  const ctx = new TestContext();
  let folder: vscode.Uri;
  let files: { two: vscode.Uri; one: vscode.Uri; plain: vscode.Uri };
  const disk = (uri: vscode.Uri): string => fs.readFileSync(uri.fsPath, 'utf8');

  beforeEach(async () => {
    await activateExtension();
    folder = fixtureUri(`generated-fix-all-${process.pid}-${Date.now()}`);
    files = { two: vscode.Uri.joinPath(folder, 'two.yaml'), one: vscode.Uri.joinPath(folder, 'nested', 'one.yaml'), plain: vscode.Uri.joinPath(folder, 'app.yaml') };
    const encode = (t: string): Uint8Array => new TextEncoder().encode(t);
    await vscode.workspace.fs.writeFile(files.two, encode(TWO_LOW));
    await vscode.workspace.fs.writeFile(files.one, encode(ONE_LOW));
    await vscode.workspace.fs.writeFile(files.plain, encode('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n'));
  });

  afterEach(async () => {
    // A fix applied to a file nobody opened may be held unsaved; never leave a dirty document behind a deleted file.
    for (const d of vscode.workspace.textDocuments) if (d.uri.path.startsWith(`${folder.path}/`) && d.isDirty) await d.save();
    await vscode.workspace.fs.delete(folder, { recursive: true });
  });

  after(() => ctx.dispose());

  function command(ui: ScriptedUi): ReturnType<typeof fixAllInWorkspaceCommand> {
    const config = ctx.own(new Configuration());
    const worker = ctx.own(new LintWorkerClient());
    const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection('mesh-doctor-fix-all-test'));
    return fixAllInWorkspaceCommand(worker, config, diagnostics, ctx.output, ui);
  }

  it('asks with the count of files and fixes, and changes nothing when refused', async () => {
    const ui = new ScriptedUi();
    ui.confirmAnswer = false;
    const summary = await command(ui)(folder);
    assert.deepEqual(summary, { files: 2, fixes: 3, applied: false, stale: 0 });
    assert.equal(ui.questions.length, 1);
    assert.equal(ui.questions[0].message, 'Apply 3 Mesh Doctor fixes in 2 files?');
    assert.match(ui.questions[0].detail, /two\.yaml: 2/);
    assert.match(ui.questions[0].detail, /nested\/one\.yaml: 1/);
    assert.doesNotMatch(ui.questions[0].detail, /app\.yaml/);
    assert.equal(disk(files.two), TWO_LOW);
    assert.equal(disk(files.one), ONE_LOW);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.path.startsWith(`${folder.path}/`) && d.isDirty), 'no document was edited');
  });

  it('applies every fix in every file as one edit after the user confirms', async () => {
    const ui = new ScriptedUi();
    ui.confirmAnswer = true;
    const summary = await command(ui)(folder);
    assert.deepEqual(summary, { files: 2, fixes: 3, applied: true, stale: 0 });
    const text = async (uri: vscode.Uri): Promise<string> => (await vscode.workspace.openTextDocument(uri)).getText();
    assert.equal(await text(files.two), TWO_FIXED);
    assert.equal(await text(files.one), ONE_LOW.replace('3s', '10s'));
    assert.equal(await text(files.plain), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n');
    assert.deepEqual(ui.notifications.map((n) => n.message), ['Mesh Doctor: applied fixes in 2 files.']);
    // A refactoring edit: VS Code saves the files it opened for it.
    await waitFor('the fixed files saved', () => (disk(files.two) === TWO_FIXED && disk(files.one) === ONE_LOW.replace('3s', '10s') ? true : undefined));
  });

  it('leaves a file alone whose value changed after it was linted', async () => {
    const ui = new ScriptedUi();
    const original = ui.confirm.bind(ui);
    // The user (or Git) edits a file while the confirmation is open.
    ui.confirm = async (message, detail) => {
      await vscode.workspace.fs.writeFile(files.one, new TextEncoder().encode(ONE_LOW.replace('3s', '4s')));
      await waitFor('the editor to see the new text', async () => ((await vscode.workspace.openTextDocument(files.one)).getText().includes('4s') ? true : undefined));
      await original(message, detail);
      return true;
    };
    const summary = await command(ui)(folder);
    assert.deepEqual(summary, { files: 2, fixes: 3, applied: true, stale: 1 });
    assert.equal((await vscode.workspace.openTextDocument(files.one)).getText(), ONE_LOW.replace('3s', '4s'));
    assert.equal((await vscode.workspace.openTextDocument(files.two)).getText(), TWO_FIXED);
    assert.match(ui.notifications[0].message, /1 file changed meanwhile and was left alone/);
  });

});
