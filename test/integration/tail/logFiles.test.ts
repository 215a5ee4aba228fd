import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LogFileHighlighter } from '../../../src/tail/logFileHighlighter';
import { MARGIN_LINES, MAX_HIGHLIGHTED_LINES } from '../../../src/tail/visibleLines';
import { activateExtension, waitFor } from '../helpers';

function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** The tail's highlighting in .log files the user opens, built by the test from the product module. */
describe('tail highlighting in .log files', function () {
  this.timeout(60_000);
  let highlighter: LogFileHighlighter;
  let tmp: string;

  before(async () => {
    await activateExtension();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-logs-'));
  });
  beforeEach(() => {
    highlighter = new LogFileHighlighter();
  });
  afterEach(async () => {
    highlighter.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("marks the incident's connect timeouts and UF,URX flags in envoy-debug.log, as in a tail", async () => {
    const uri = workspaceFile('annotator', 'envoy-debug.log');
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(editor.document.languageId, 'log');
    const highlights = await waitFor('the .log file to be highlighted', () => highlighter.highlightsOf(uri));
    const marked = highlights.map((h) => [h.kind, h.line, editor.document.lineAt(h.line).text.slice(h.start, h.end)]);
    assert.deepEqual(marked, [
      ['connectTimeout', 11, 'connect timeout'],
      ['connectTimeout', 15, 'connect timeout'],
      ['responseFlags', 21, 'UF,URX'],
    ]);
  });

  it("marks the application's Connection reset in a log holding both sides", async () => {
    const uri = workspaceFile('annotator', 'incident.log');
    const editor = await vscode.window.showTextDocument(uri);
    const highlights = await waitFor('incident.log to be highlighted', () => highlighter.highlightsOf(uri));
    const reset = highlights.find((h) => h.kind === 'connectionReset');
    assert.ok(reset, 'no Connection reset marked');
    assert.equal(editor.document.lineAt(reset.line).text.slice(reset.start, reset.end), 'Connection reset');
  });

  it('highlights only the lines on screen and a margin in a large log, and follows a scroll', async () => {
    const file = path.join(tmp, 'large.log');
    const line = '[2020-05-29 22:04:06.066][27][debug][pool] [conn_pool.cc:403] [C332] connect timeout';
    fs.writeFileSync(file, `${Array.from({ length: 200_000 }, () => line).join('\n')}\n`);
    const uri = vscode.Uri.file(file);
    const editor = await vscode.window.showTextDocument(uri);
    const first = await waitFor('the large log to be highlighted', () => highlighter.highlightsOf(uri));
    const lastVisible = Math.max(...editor.visibleRanges.map((r) => r.end.line));
    assert.ok(first.length > 0 && first.length <= MAX_HIGHLIGHTED_LINES, `${first.length} highlights`);
    assert.ok(first.every((h) => h.line <= lastVisible + MARGIN_LINES), 'a line far below the screen was highlighted');

    editor.revealRange(new vscode.Range(150_000, 0, 150_000, 0), vscode.TextEditorRevealType.InCenter);
    const scrolled = await waitFor('the highlights to follow the scroll', () => {
      const now = highlighter.highlightsOf(uri);
      return now && now.some((h) => h.line === 150_000) ? now : undefined;
    });
    assert.ok(scrolled.every((h) => Math.abs(h.line - 150_000) <= MAX_HIGHLIGHTED_LINES), 'lines far from the screen were highlighted');
  });
});
