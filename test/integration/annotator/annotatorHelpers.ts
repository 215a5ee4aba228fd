import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { annotateResetsCommand } from '../../../src/annotator/annotateResetsCommand';
import type { AnnotatorPanel, AnnotatorRun } from '../../../src/annotator/annotatorPanel';
import { AnnotatorPanels } from '../../../src/annotator/annotatorPanels';
import { createClusterAccess } from '../../../src/annotator/clusterAccess';
import { annotatorLinks } from '../../../src/annotator/links';
import { LiveLogDocuments } from '../../../src/annotator/liveLogDocuments';
import { readConfig } from '../../../src/config';
import type { PodRef } from '../../../src/kube/types';
import type { ClusterRevealer } from '../../../src/services/clusterRevealer';
import type { SettingLocator } from '../../../src/services/settingLocator';
import { EXTENSION_ID, MemoryMemento, ScriptedUi, waitFor } from '../helpers';

export function annotatorFixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, 'annotator', name);
}

/** The annotator's services as the test sees them: what was asked of each, and what they answer. */
export class RecordingServices implements SettingLocator, ClusterRevealer {
  readonly settingLookups: { host: string | null; namespace: string | null }[] = [];
  readonly reveals: { cluster: string; pod: PodRef | null }[] = [];
  settingFound = true;
  clusterShown = true;

  async revealConnectTimeoutSetting(host: string | null, namespace: string | null): Promise<boolean> {
    this.settingLookups.push({ host, namespace });
    return this.settingFound;
  }
  async revealCluster(cluster: string, pod: PodRef | null): Promise<boolean> {
    this.reveals.push({ cluster, pod });
    return this.clusterShown;
  }
  async revealNamespace(): Promise<boolean> {
    throw new Error('the annotator reveals clusters, not namespaces');
  }
}

/**
 * The annotator built in the test from the product modules with the real vscode API: its own
 * panel, command handler and live documents, with recording services and UI instead of the other
 * features. What the webview draws is the UI suite's to check (test/ui/annotator.ui.ts); here the
 * test sees what the panel holds, what the webview posts, and what the links hand on.
 */
export class AnnotatorHarness implements vscode.Disposable {
  readonly ui = new ScriptedUi();
  readonly services = new RecordingServices();
  private readonly log = vscode.window.createOutputChannel('Mesh Doctor annotator test', { log: true });
  private readonly documents = new LiveLogDocuments();
  readonly panels: AnnotatorPanels;
  private readonly handler: (...args: unknown[]) => Promise<AnnotatorRun | undefined>;

  constructor() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const links = annotatorLinks({ settings: this.services, clusters: this.services, ui: this.ui });
    this.panels = new AnnotatorPanels(extension.extensionUri, links, this.log, new MemoryMemento(), this.ui);
    this.handler = annotateResetsCommand({
      log: this.log,
      ui: this.ui,
      panels: this.panels,
      documents: this.documents,
      clusterAccess: () => createClusterAccess(readConfig()),
    });
  }

  /** Runs "Annotate Connection resets" with `args`; undefined when it failed or was cancelled. */
  run(...args: unknown[]): Promise<AnnotatorRun | undefined> {
    return this.handler(...args);
  }

  async annotate(...args: unknown[]): Promise<AnnotatorRun> {
    const run = await this.run(...args);
    assert.ok(run, `Annotate Connection resets showed no run: ${JSON.stringify(this.ui.notifications.slice(-1))}`);
    this.listen(this.panel());
    return run;
  }

  private listened: AnnotatorPanel | undefined;
  private webviewReady = false;
  private listening: vscode.Disposable | undefined;

  /**
   * Notes when the panel's webview has loaded. Subscribed as soon as the run resolves: the panel was
   * made in the same task, so its webview's first message cannot have arrived yet.
   */
  private listen(panel: AnnotatorPanel): void {
    if (this.listened === panel) return;
    this.listening?.dispose();
    this.listened = panel;
    this.webviewReady = false;
    this.listening = panel.panel.webview.onDidReceiveMessage((m: { type?: unknown }) => {
      if (m?.type === 'ready') this.webviewReady = true;
    });
  }

  panel(): AnnotatorPanel {
    const panel = this.panels.current();
    assert.ok(panel, 'the annotator shows no panel');
    return panel;
  }

  /**
   * Handles `raw` as if the panel's webview had posted it; resolves with the link's answer. Waits
   * for the webview to load first, as a user's click would: a loading webview takes the focus,
   * which would move an editor or close a quick pick the link just opened.
   */
  async message(raw: unknown): Promise<unknown> {
    await waitFor('the annotator webview to load', () => (this.webviewReady ? true : undefined), 20_000);
    return this.panel().receive(raw);
  }

  dispose(): void {
    this.listening?.dispose();
    this.panels.dispose();
    this.documents.dispose();
    this.log.dispose();
  }
}

/** Sets a user setting for the duration of `work`, then puts the previous value back. */
export async function withSetting<T>(key: string, value: unknown, work: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('meshDoctor');
  const before = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    return await work();
  } finally {
    await vscode.workspace.getConfiguration('meshDoctor').update(key, before, vscode.ConfigurationTarget.Global);
  }
}

/** The active editor's document name and selected text, once it shows `name`. */
export async function activeSelection(name: string): Promise<{ line: number; text: string }> {
  return waitFor(`an editor on ${name} to become active`, () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !editor.document.uri.path.endsWith(name)) return undefined;
    return { line: editor.selection.start.line, text: editor.document.getText(editor.selection) };
  });
}
