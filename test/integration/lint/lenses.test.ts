import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeLenses, diagnosticCode, lensTitles, lineText, meshDoctorDiagnostics, openFixture, openScratchCopy, revert, waitForDiagnostics } from './lintHelpers';
import { waitFor } from '../helpers';

describe('lint: code lenses and diagnostics on an open manifest', function () {
  this.timeout(30_000);

  it('flags the incident 1s mesh-wide connect timeout with a lens and a warning linked to the docs', async () => {
    const document = await openFixture('mesh-operator.yaml');
    const lenses = await waitFor('a below-10s lens', async () => {
      const found = await codeLenses(document.uri);
      return lensTitles(found).some((t) => t.includes('below 10s')) ? found : undefined;
    });
    const summary = lenses.find((l) => l.command?.title.includes('below 10s'));
    assert.ok(summary?.command);
    assert.match(summary.command.title, /^⚠ .*connectTimeout.*1s.*below 10s/);
    assert.equal(summary.range.start.line, 9, 'the lens sits on the connectTimeout line');
    const raise = lenses.find((l) => l !== summary && l.range.isEqual(summary.range) && l.command?.command === 'meshDoctor.raiseConnectTimeout');
    assert.ok(raise?.command, `no raise lens among ${JSON.stringify(lensTitles(lenses))}`);
    assert.match(raise.command.title, /10s/);

    const [diagnostic] = await waitForDiagnostics(document.uri, 1);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.range.start.line, 9);
    assert.equal(document.getText(diagnostic.range), '1s', 'the diagnostic covers exactly the value');
    const code = diagnostic.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'connect-timeout-low');
    assert.ok(code.target instanceof vscode.Uri && code.target.scheme.startsWith('http'), 'the code links to documentation');
    // The same mesh config sets neither holdApplicationUntilProxyStarts nor native sidecars: one information note.
    const startup = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'mesh-doctor' && diagnosticCode(d) === 'startup-order');
    assert.equal(startup.length, 1);
    assert.equal(startup[0].severity, vscode.DiagnosticSeverity.Information);
  });

  it('raises the value when the lens command runs, and the lens goes away', async () => {
    const document = await openScratchCopy('mesh-operator.yaml');
    try {
      const lens = await waitFor('the raise lens', async () =>
        (await codeLenses(document.uri)).find((l) => l.command?.command === 'meshDoctor.raiseConnectTimeout'),
      );
      const applied = await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      assert.equal(applied, true);
      assert.equal(lineText(document, 'connectTimeout'), 'connectTimeout: 10s');
      await waitForDiagnostics(document.uri, 0);
      assert.deepEqual(lensTitles(await codeLenses(document.uri)).filter((t) => t.includes('below')), []);
    } finally {
      await revert(document);
    }
    assert.equal(lineText(document, 'connectTimeout'), 'connectTimeout: 1s');
  });

  it('refuses to raise a value that changed since the lens was computed', async () => {
    const document = await openFixture('mesh-operator.yaml');
    const lens = await waitFor('the raise lens', async () =>
      (await codeLenses(document.uri)).find((l) => l.command?.command === 'meshDoctor.raiseConnectTimeout'),
    );
    const [uri, range, replacement] = lens.command!.arguments as [vscode.Uri, vscode.Range, string];
    const applied = await vscode.commands.executeCommand('meshDoctor.raiseConnectTimeout', uri, range, replacement, '7s');
    assert.equal(applied, false);
    assert.equal(document.isDirty, false, 'nothing was edited');
  });

  it('updates diagnostics while typing, after the debounce', async () => {
    const document = await openScratchCopy('quoted-dr.yaml');
    try {
      await waitForDiagnostics(document.uri, 1);
      const line = document.lineAt(document.getText().split('\n').findIndex((l) => l.includes('connectTimeout')));
      const value = new vscode.Range(line.range.end.translate(0, -4), line.range.end);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, value, "'15s'");
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(document.uri, 0);
    } finally {
      await revert(document);
    }
    await waitForDiagnostics(document.uri, 1);
  });

  it('gives YAML that is not Istio no lenses and no diagnostics', async () => {
    const document = await openFixture('not-istio.yaml');
    // Let a flagged Istio file finish linting first, so "nothing" below is an answer, not a race.
    const istio = await openFixture('mesh-operator.yaml');
    await waitForDiagnostics(istio.uri, 1);
    assert.deepEqual(await codeLenses(document.uri), []);
    assert.deepEqual(meshDoctorDiagnostics(document.uri), []);
  });
});
