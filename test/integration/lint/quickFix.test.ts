import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lineText, openFixture, openScratchCopy, revert, waitForDiagnostics } from './lintHelpers';
import { waitFor } from '../helpers';

describe('lint: quick fix', function () {
  this.timeout(30_000);

  it('offers a preferred quick fix that raises the value and keeps its quotes', async () => {
    const document = await openScratchCopy('quoted-dr.yaml');
    try {
      const [diagnostic] = await waitForDiagnostics(document.uri, 1);
      assert.equal(document.getText(diagnostic.range), "'2s'");
      const actions = await waitFor('a mesh-doctor quick fix', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          document.uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        // The command's result does not carry `diagnostics` back, so recognise the fix by its title.
        const ours = (found ?? []).filter((a) => a.title === 'Raise to 10s');
        return ours.length > 0 ? ours : undefined;
      });
      assert.equal(actions.length, 1);
      const [fix] = actions;
      assert.equal(fix.isPreferred, true);
      assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind));
      assert.ok(fix.edit, 'the fix is a workspace edit');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(lineText(document, 'connectTimeout'), "connectTimeout: '10s'");
      await waitForDiagnostics(document.uri, 0);
    } finally {
      await revert(document);
    }
  });

  it('offers nothing away from a flagged value', async () => {
    const document = await openFixture('quoted-dr.yaml');
    await waitForDiagnostics(document.uri, 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      new vscode.Range(0, 0, 0, 1),
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.deepEqual((actions ?? []).filter((a) => a.title.includes('10s')), []);
  });
});
