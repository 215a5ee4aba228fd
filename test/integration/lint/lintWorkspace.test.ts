import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri, meshDoctorDiagnostics } from './lintHelpers';
import { activateExtension, waitFor } from '../helpers';

interface WorkspaceLintSummary {
  files: number;
  linted: number;
  skipped: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
}

describe('lint: Lint Workspace command', function () {
  this.timeout(60_000);

  it('puts findings of files that are not open into the Problems panel and skips binary YAML', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const closedLow = fixtureUri('generated-closed-dr.yaml');
    const binary = fixtureUri('generated-binary.yaml');
    await vscode.workspace.fs.writeFile(
      closedLow,
      new TextEncoder().encode(
        'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: closed}\nspec:\n  host: closed.example.com\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: "3s"}}}\n',
      ),
    );
    await vscode.workspace.fs.writeFile(binary, Uint8Array.from({ length: 4096 }, (_, i) => i % 256));
    try {
      const summary = await vscode.commands.executeCommand<WorkspaceLintSummary>('meshDoctor.lintWorkspace');
      assert.equal(summary.cancelled, false);
      assert.ok(summary.skipped >= 1, 'the binary file was skipped');
      assert.ok(summary.findings >= 3, `expected the fixtures' low values, got ${JSON.stringify(summary)}`);
      const [closed] = await waitFor('diagnostics on the closed file', () => {
        const found = meshDoctorDiagnostics(closedLow);
        return found.length === 1 ? found : undefined;
      });
      assert.equal(closed.range.start.line, 5);
      assert.equal(meshDoctorDiagnostics(fixtureUri('mesh-operator.yaml')).length, 1);
      assert.deepEqual(meshDoctorDiagnostics(fixtureUri('not-istio.yaml')), []);
      assert.deepEqual(meshDoctorDiagnostics(binary), []);
    } finally {
      await vscode.workspace.fs.delete(closedLow);
      await vscode.workspace.fs.delete(binary);
    }
  });
});
