import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BACKGROUND_START_DELAY_MS, BackgroundLint } from '../../../src/lint/backgroundLint';
import { LintWorkerClient } from '../../../src/lint/lintWorkerClient';
import { Configuration } from '../../../src/services/configuration';
import { fixtureUri, waitForDiagnostics, withSetting } from './lintHelpers';
import { activateExtension, TestContext, waitFor } from '../helpers';

const destinationRule = (name: string, value: string): string =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}}\nspec:\n  host: ${name}.example.com\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: ${value}}}}\n`;

const write = (uri: vscode.Uri, text: string): Thenable<void> => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
const isOpen = (uri: vscode.Uri): boolean => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

describe('lint: background lint of files that are not open', function () {
  this.timeout(60_000);

  it('lints the workspace once it starts: a DestinationRule that sets 1s is in its diagnostics without being opened', async () => {
    const uri = fixtureUri('generated-background-start.yaml');
    const notIstio = fixtureUri('not-istio.yaml');
    await write(uri, destinationRule('started', '1s'));
    const ctx = new TestContext();
    try {
      const config = ctx.own(new Configuration());
      const worker = ctx.own(new LintWorkerClient());
      const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection('mesh-doctor-background-test'));
      ctx.own(new BackgroundLint(worker, config, diagnostics, ctx.output));
      const [found] = await waitFor('the background lint of the closed DestinationRule', () => {
        const list = diagnostics.get(uri) ?? [];
        return list.length > 0 ? list : undefined;
      }, 20_000);
      assert.equal(found.range.start.line, 5);
      assert.match(found.message, /\b1s\b/);
      assert.equal(isOpen(uri), false, 'the file was linted without opening it');
      assert.deepEqual(diagnostics.get(notIstio) ?? [], [], 'YAML that is not Istio has no problems');
    } finally {
      ctx.dispose();
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('lints nothing while meshDoctor.lint.background is off, and the workspace once it is turned on', async () => {
    const uri = fixtureUri('generated-background-off.yaml');
    await write(uri, destinationRule('off', '1s'));
    const restore = await withSetting('lint.background', false);
    const ctx = new TestContext();
    try {
      const config = ctx.own(new Configuration());
      const worker = ctx.own(new LintWorkerClient());
      const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection('mesh-doctor-background-off-test'));
      ctx.own(new BackgroundLint(worker, config, diagnostics, ctx.output));
      await write(uri, destinationRule('off', '2s'));
      // Nothing can be waited for when nothing happens: give the first run's delay, a change batch and a lint time to pass.
      await new Promise((resolve) => setTimeout(resolve, BACKGROUND_START_DELAY_MS + 1500));
      assert.deepEqual(diagnostics.get(uri) ?? [], []);
      await vscode.workspace.getConfiguration('meshDoctor').update('lint.background', true, vscode.ConfigurationTarget.Workspace);
      await waitFor('the background lint after it was turned on', () => ((diagnostics.get(uri) ?? []).length === 1 ? true : undefined), 20_000);
    } finally {
      ctx.dispose();
      await restore();
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('shows a file written on disk in the Problems panel and follows its edits on disk', async () => {
    await activateExtension();
    const uri = fixtureUri('generated-background-edit.yaml');
    await write(uri, destinationRule('edited', '1s'));
    try {
      const [low] = await waitForDiagnostics(uri, 1, 20_000);
      assert.match(low.message, /\b1s\b/);
      assert.equal(isOpen(uri), false);
      await write(uri, destinationRule('edited', '20s'));
      await waitForDiagnostics(uri, 0, 20_000);
      await write(uri, destinationRule('edited', '"2s"'));
      const [again] = await waitForDiagnostics(uri, 1, 20_000);
      assert.match(again.message, /\b2s\b/);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await waitForDiagnostics(uri, 0);
  });
});
