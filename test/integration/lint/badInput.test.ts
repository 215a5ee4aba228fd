import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeLenses, meshDoctorDiagnostics, openFixture, openScratchCopy, revert } from './lintHelpers';
import { activateExtension, waitFor, within } from '../helpers';

const DR_HEADER = 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\n';

/** Inputs that must never crash or hang the extension host; written outside the workspace. */
function writeBadInputs(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const put = (name: string, content: string | Uint8Array): void => {
    files[name] = path.join(dir, name);
    fs.writeFileSync(files[name], content);
  };
  put('single-line-5mb.yaml', `${DR_HEADER}spec: {host: big.example.com, x: "${'a'.repeat(5 * 1024 * 1024)}"}\n`);
  put('binary.yaml', Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 256));
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  put('alias-bomb.yaml', `${DR_HEADER}metadata:\n  name: bomb\nspec:\n  host: bomb.example.com\n  ${laughs.join('\n  ')}\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n`);
  const many: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    many.push(`${DR_HEADER}metadata: {name: dr-${i}}\nspec:\n  host: svc-${i}.example.com\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: 1s}}}\n`);
  }
  put('ten-thousand-timeouts.yaml', many.join('---\n'));
  return files;
}

describe('lint: bad input never crashes or hangs the extension', function () {
  this.timeout(120_000);
  let dir: string;
  let files: Record<string, string>;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-lint-'));
    files = writeBadInputs(dir);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** After any bad input, the extension must still lint a normal manifest promptly. */
  async function stillAnswers(): Promise<void> {
    const healthy = await openFixture('mesh-operator.yaml');
    const lenses = await within('lenses for a healthy manifest', 10_000, codeLenses(healthy.uri));
    assert.ok(lenses.some((l) => l.command?.title.includes('below 10s')));
  }

  for (const name of ['single-line-5mb.yaml', 'binary.yaml', 'alias-bomb.yaml', 'ten-thousand-timeouts.yaml']) {
    it(`survives ${name}`, async () => {
      await activateExtension();
      let document: vscode.TextDocument | undefined;
      try {
        document = await within(`opening ${name}`, 30_000, vscode.workspace.openTextDocument(vscode.Uri.file(files[name])));
      } catch (err) {
        // The workbench may refuse to open a binary file as text; that is not the extension's doing.
        assert.equal(name, 'binary.yaml', `could not open ${name}: ${String(err)}`);
      }
      if (document) {
        if (document.languageId !== 'yaml') document = await vscode.languages.setTextDocumentLanguage(document, 'yaml');
        await within(`lenses for ${name}`, 20_000, codeLenses(document.uri));
      }
      await stillAnswers();
    });
  }

  it('skips the 5 MB file: no lenses, no diagnostics', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(files['single-line-5mb.yaml']));
    assert.deepEqual(await codeLenses(document.uri), []);
    assert.deepEqual(meshDoctorDiagnostics(document.uri), []);
  });

  it('flags many timeouts in one file without blocking', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(files['ten-thousand-timeouts.yaml']));
    const diagnostics = await waitFor('diagnostics on the 10,000-timeout file', () => {
      const found = meshDoctorDiagnostics(document.uri);
      return found.length > 0 ? found : undefined;
    }, 30_000);
    assert.ok(diagnostics.every((d) => d.code !== undefined));
    await stillAnswers();
  });

  it('does not nag about parse problems while the user is typing, but says so once the file is saved broken', async () => {
    const document = await openScratchCopy('half-typed.yaml');
    const unparsed = (): vscode.Diagnostic[] =>
      meshDoctorDiagnostics(document.uri).filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'manifest-unparsed');
    try {
      const [problem] = await waitFor('the parse-problem diagnostic on the saved broken file', () => {
        const found = unparsed();
        return found.length === 1 ? found : undefined;
      });
      assert.equal(problem.severity, vscode.DiagnosticSeverity.Information);
      assert.equal(problem.range.start.line, 19, 'points at where the second document stops parsing');
      const low = meshDoctorDiagnostics(document.uri).filter((d) => d.range.start.line === 10);
      assert.equal(low.length, 1, 'the complete first document is still linted');
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(document.lineCount - 1, 0), '    ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor('the parse problem to be hidden while editing', () => (unparsed().length === 0 ? true : undefined));
    } finally {
      await revert(document);
    }
    await waitFor('the parse problem to be back after the revert', () => (unparsed().length === 1 ? true : undefined));
  });
});
