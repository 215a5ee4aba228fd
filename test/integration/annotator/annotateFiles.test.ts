import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runMessages, type WebviewToHost } from '../../../src/annotator/protocol';
import { CAUSE_FIXES } from '../../../src/core/correlate/causes';
import { groupHeadline } from '../../../src/core/correlate/groups';
import { plainText } from '../../../src/core/text/codeSpans';
import { activeSelection, AnnotatorHarness, annotatorFixture, withSetting } from './annotatorHelpers';
import { activateExtension, waitFor } from '../helpers';

const INCIDENT_CLUSTER = 'outbound|443||cc-api-xxx-xxx.xxx.io';
/**
 * app-error.txt (19:05:44.614) and envoy-debug.log (22:04:06.066) come from two reproductions of
 * the incident; this offset puts the application's error 2 ms after Envoy's connect timeout.
 */
const REPRODUCTION_OFFSET_SECONDS = 10_701.454;

/** `n` failing identity calls 5 s apart: an access-log `UF,URX` line, then the app's reset 2 ms after the timeout. */
function generatedResets(n: number): string {
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const start = t0 + k * 5000;
    lines.push(
      `[${new Date(start).toISOString()}] "- - -" 0 UF,URX - - "-" 0 0 1000 - "-" "-" "-" "-" "52.14.3.7:443" outbound|443||idp.example.com - 52.14.3.7:443 10.0.0.1:${4000 + (k % 1000)} idp.example.com -`,
      `${new Date(start + 1002).toISOString()} ERROR 1 --- [checkout] [nio-8080-exec-3] com.example.TokenValidator : Problem validating service token`,
      'com.example.IdentityConnectorException: Problem processing validate token response',
      '\tat com.example.IdentityConnector.validateToken(IdentityConnector.java:535)',
      'Caused by: java.net.SocketException: Connection reset',
      '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:328)',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The annotator on files, built by the test (AnnotatorHarness). What the webview draws from these
 * runs (the verdict, hostile text as text, the keyboard) is checked in the workbench by
 * test/ui/annotator.ui.ts; the messages a run is delivered in by test/unit/annotator/protocol.test.ts.
 */
describe('Annotate Connection resets on log files', function () {
  this.timeout(60_000);
  let annotator: AnnotatorHarness;
  const annotate = (...args: unknown[]) => annotator.annotate(...args);

  before(activateExtension);
  beforeEach(() => {
    annotator = new AnnotatorHarness();
  });

  afterEach(async () => {
    annotator.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('explains the incident reset in the active editor by Envoy\'s 1 s connect timeout and shows that run in the panel', async () => {
    const document = await vscode.workspace.openTextDocument(annotatorFixture('incident.log'));
    await vscode.window.showTextDocument(document);
    const run = await annotate({ source: 'activeEditor' });

    assert.equal(run.resets.length, 1);
    const [reset] = run.resets;
    assert.equal(reset.cause, 'connect-timeout');
    assert.equal(reset.cluster, INCIDENT_CLUSTER);
    assert.equal(reset.connectTimeoutSeconds, 1);
    assert.equal(reset.line, 23, 'the reset is the application error after the 22 Envoy lines');
    assert.equal(reset.exception.resetCause, 'java.net.SocketException: Connection reset');
    const kinds = reset.matches.map((m) => m.kind);
    for (const kind of ['connecting', 'connection-in-progress', 'connect-timeout', 'downstream-closed', 'access-log'] as const) {
      assert.ok(kinds.includes(kind), `the Envoy events shown beside the reset lack "${kind}": ${kinds.join(', ')}`);
    }
    assert.equal(annotator.panel().current(), run, 'the panel does not hold the run it was shown');
    assert.match(annotator.panel().panel.title, /^Connection resets: .*incident\.log$/);
  });

  it('matches the two original captures only with the clock offset setting, and says plainly when nothing explains a reset', async () => {
    const files = [annotatorFixture('app-error.txt'), annotatorFixture('envoy-debug.log')];

    const unexplained = await annotate({ source: 'files', uris: files });
    assert.equal(unexplained.resets.length, 1);
    assert.equal(unexplained.resets[0].cause, 'unexplained');
    assert.equal(unexplained.summary.clockOffsetSeconds, 0);
    assert.deepEqual(unexplained.resets[0].matches, []);

    const explained = await withSetting('correlate.clockOffsetSeconds', REPRODUCTION_OFFSET_SECONDS, () => annotate({ source: 'files', uris: files }));
    assert.equal(explained.summary.clockOffsetSeconds, REPRODUCTION_OFFSET_SECONDS);
    assert.equal(explained.resets[0].cause, 'connect-timeout');
    assert.equal(explained.resets[0].time, '2020-05-29T22:04:06.068Z');
    assert.equal(explained.resets[0].connectTimeoutSeconds, 1);
  });

  it('says so plainly when the logs hold no Envoy evidence, and offers debug logging or the access-log Telemetry (applying nothing)', async () => {
    const run = await annotate({ source: 'files', uris: [annotatorFixture('app-error.txt')] });
    assert.equal(run.resets[0].cause, 'unexplained');
    assert.ok(run.summary.warnings.some((w) => /No Envoy evidence in these logs/.test(w) && /telemetry\.istio\.io\/v1/.test(w)), run.summary.warnings.join(' | '));
    const offer = await waitFor('the no-evidence notification', () => annotator.ui.notifications.find((n) => /nothing in these logs explains/.test(n.message)));
    assert.equal(offer.severity, 'info');
    assert.match(offer.message, /no access-log line and no Envoy debug line/);
  });

  it('opens the line of an Envoy event the webview links to, and refuses files that are not part of the run', async () => {
    const files = [annotatorFixture('app-error.txt'), annotatorFixture('envoy-debug.log')];
    const run = await withSetting('correlate.clockOffsetSeconds', REPRODUCTION_OFFSET_SECONDS, () => annotate({ source: 'files', uris: files }));
    const timeout = run.resets[0].matches.find((m) => m.kind === 'connect-timeout' && m.connectionId === '332');
    assert.ok(timeout, 'no [C332] connect timeout among the matches');

    await annotator.message({ type: 'openSource', file: timeout.file, line: timeout.line });
    const opened = await activeSelection('envoy-debug.log');
    assert.equal(opened.line, timeout.line - 1);
    assert.match(opened.text, /\[C332\] connect timeout$/);

    await annotator.message({ type: 'openSource', file: run.resets[0].file, line: run.resets[0].line });
    const app = await activeSelection('app-error.txt');
    assert.equal(app.text, '@timestamp: 2020-05-29T19:05:44.614+00:00');

    // A webview message naming another file (or malformed) must not open anything.
    const outside = annotatorFixture('hostile.log').toString();
    await annotator.message({ type: 'openSource', file: outside, line: 1 });
    await annotator.message({ type: 'openSource', file: timeout.file, line: -4 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(vscode.window.activeTextEditor?.document.uri.toString().endsWith('app-error.txt'), 'a link outside the run opened a document');
    assert.deepEqual(annotator.ui.notifications, [
      { severity: 'warning', message: 'Mesh Doctor: that line is not from a log of this annotation run. Run "Annotate Connection resets" again.' },
    ], 'the link outside the run is refused with a message; the malformed one is dropped');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === outside), 'hostile.log was opened by a link that is not in the run');
  });

  it('maps lines of a selection back to the document, so links from a partial annotation land on the right line', async () => {
    const document = await vscode.workspace.openTextDocument(annotatorFixture('incident.log'));
    const editor = await vscode.window.showTextDocument(document);
    // Select from "[C331] Creating connection to cluster" (line 5) to the end: the correlator sees it as line 1.
    editor.selection = new vscode.Selection(4, 0, document.lineCount - 1, 0);
    const run = await annotate({ source: 'activeEditor' });
    assert.equal(run.summary.sources[0].firstLine, 5);
    const timeout = run.resets[0].matches.find((m) => m.kind === 'connect-timeout' && m.connectionId === '332');
    assert.ok(timeout);
    assert.equal(timeout.line, 8, 'the correlator numbers lines from the start of the selection');

    await annotator.message({ type: 'openSource', file: timeout.file, line: timeout.line });
    const opened = await activeSelection('incident.log');
    assert.equal(opened.line, 11);
    assert.match(opened.text, /\[C332\] connect timeout$/);
  });

  it('keeps the run across a webview reload: the webview restores it from its saved state and the panel sends nothing again', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(annotatorFixture('incident.log')));
    const run = await annotate({ source: 'activeEditor' });
    const readies: WebviewToHost[] = [];
    const listening = annotator.panel().panel.webview.onDidReceiveMessage((m: WebviewToHost) => void (m.type === 'ready' && readies.push(m)));
    try {
      // The webview saves the run once it has all of it; a reload before that restores nothing and
      // the panel sends the run again, so reload until a reloaded webview names the run it restored.
      const restored = await waitFor('a reloaded webview to restore the run from its saved state', async () => {
        readies.length = 0;
        await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
        await waitFor('the reloaded webview to say it is ready', () => (readies.length > 0 ? true : undefined), 10_000);
        const ready = readies[0];
        return ready.type === 'ready' && ready.restoredRunId !== null ? ready.restoredRunId : undefined;
      }, 40_000);
      assert.equal(restored, run.summary.runId);
    } finally {
      listening.dispose();
    }
  });

  it('correlates 1200 resets of one file and shows them as one run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-annotator-'));
    const file = path.join(dir, 'many-resets.log');
    fs.writeFileSync(file, generatedResets(1200));
    try {
      const started = Date.now();
      const run = await annotate({ source: 'files', uris: [vscode.Uri.file(file)] });
      assert.equal(run.resets.length, 1200);
      console.log(`annotator: 1200 resets (7200 lines) correlated and shown in ${Date.now() - started} ms`);
      assert.equal(run.summary.totalResets, 1200);
      assert.equal(run.groups.length, 1, 'identical resets make one group');
      assert.ok(run.resets.every((r) => r.cause === 'connect-timeout' && r.cluster === 'outbound|443||idp.example.com' && r.connectTimeoutSeconds === 1));
      assert.equal(annotator.panel().current(), run);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('groups the 60 identical resets of sixty-resets.log into one group with one fix, delivered to the webview after the resets', async () => {
    const run = await annotate({ source: 'files', uris: [annotatorFixture('sixty-resets.log')] });
    assert.equal(run.resets.length, 60);
    assert.equal(run.groups.length, 1, `groups: ${run.groups.map((g) => plainText(groupHeadline(g))).join(' | ')}`);
    const [group] = run.groups;
    assert.equal(plainText(groupHeadline(group)), '60 resets → connect timeout 1 s to outbound|443||idp.example.com');
    assert.deepEqual(groupHeadline(group).filter((p) => p.code).map((p) => p.text), ['outbound|443||idp.example.com']);
    assert.deepEqual(group.fix, CAUSE_FIXES['connect-timeout']);
    assert.deepEqual([...group.members].sort((a, b) => a - b), run.resets.map((_, i) => i));
    const types = runMessages(run.summary, run.resets, run.groups, run.timeline).map((m) => m.type);
    assert.deepEqual(types, ['runStarted', 'resets', 'groups', 'timeline', 'runFinished']);
    assert.equal(annotator.panel().current()?.groups, run.groups, 'the panel does not hold the groups it delivers');
  });

  it('refuses a missing file or a non-positive window instead of replacing the panel\'s run', async () => {
    const shown = await annotate({ source: 'files', uris: [annotatorFixture('incident.log')] });
    const missing = await annotator.run({ source: 'files', uris: [annotatorFixture('no-such.log')] });
    assert.equal(missing, undefined);
    const badWindow = await withSetting('correlate.windowSeconds', 0, async () => annotator.run({ source: 'files', uris: [annotatorFixture('incident.log')] }));
    assert.equal(badWindow, undefined);
    assert.equal(annotator.panel().current()?.summary.runId, shown.summary.runId, 'a failed annotation replaced the run on screen');
    const errors = annotator.ui.notifications.filter((n) => n.severity === 'error').map((n) => n.message);
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^Mesh Doctor could not annotate connection resets: cannot read .*no-such\.log/);
    assert.match(errors[1], /meshDoctor\.correlate\.windowSeconds must be a positive number of seconds \(it is 0\)/);
  });

  it('shows hostile log text as text: the long line is cut, and the verdict is still rendered', async () => {
    const run = await annotate(annotatorFixture('hostile.log'));
    assert.equal(run.resets.length, 1);
    assert.match(run.resets[0].exception.outermost, /<script>alert\(1\)<\/script>/);
    const accessLog = run.resets[0].matches.find((m) => m.kind === 'access-log');
    assert.ok(accessLog && accessLog.textLength > 100_000, 'the 100 KB access-log line is not among the matches');
    assert.equal(accessLog.text.length, 8192, 'the panel keeps and sends only the start of a huge line');
    assert.equal(run.resets[0].connectTimeoutSeconds, 1);
  });
});
