import * as assert from 'node:assert';
import * as vscode from 'vscode';

describe('extension host', () => {
  it('loads Mesh Doctor from the development path and activates it on a YAML file', async () => {
    const ext = vscode.extensions.getExtension('mesh-doctor.mesh-doctor');
    assert.ok(ext, 'mesh-doctor.mesh-doctor is not among the loaded extensions');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'a: 1\n' });
    await vscode.window.showTextDocument(doc);
    const deadline = Date.now() + 20_000;
    while (!ext.isActive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.strictEqual(ext.isActive, true, 'opening a YAML document did not activate the extension');
  });
});
