import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeLenses, lensTitles, openFixture } from './lintHelpers';
import { waitFor } from '../helpers';

describe('lint: DestinationRule precedence over the mesh-wide value', function () {
  this.timeout(30_000);

  it('says on the mesh-wide value which DestinationRules override it', async () => {
    const mesh = await openFixture('mesh-operator.yaml');
    const lens = await waitFor('the override lens (the workspace index scans in the background)', async () =>
      (await codeLenses(mesh.uri)).find((l) => l.command?.title.startsWith('Overridden') && l.command.title.includes('idp.example.com')),
    );
    assert.equal(lens.range.start.line, 9);
    const title = lens.command!.title;
    // Other features keep DestinationRules in the shared test workspace too: past three rules the
    // lenses collapse into one that counts them (hosts in alphabetical order) and peeks at all.
    if (title.startsWith('Overridden for')) {
      assert.equal(title, 'Overridden for idp.example.com by DestinationRule idp (lint/idp-dr.yaml)');
      // The API command hands back the workbench's internal id for `vscode.open`.
      assert.ok(['vscode.open', '_workbench.open'].includes(lens.command!.command), lens.command!.command);
      await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
      await waitFor('idp-dr.yaml to be the active editor', () =>
        vscode.window.activeTextEditor?.document.uri.path.endsWith('/lint/idp-dr.yaml') ? true : undefined,
      );
      assert.equal(vscode.window.activeTextEditor!.selection.start.line, 11, 'opens at the DestinationRule value');
    } else {
      assert.match(title, /^Overridden by ([4-9]|\d{2,}) DestinationRules for .*idp\.example\.com/);
      const named = title.replace(/^.* DestinationRules for /, '').replace(/, and \d+ more$/, '').split(', ');
      assert.deepEqual(named, [...named].sort(), 'hosts are named in order');
      assert.equal(lens.command!.command, 'editor.action.peekLocations');
    }
  });

  it('says on a DestinationRule that it overrides the mesh-wide value for its host, and opens that value', async () => {
    const rule = await openFixture('idp-dr.yaml');
    const lens = await waitFor('the overrides lens on the DestinationRule', async () =>
      (await codeLenses(rule.uri)).find((l) => l.command?.title.startsWith('Overrides the mesh-wide')),
    );
    const [, file] = /^Overrides the mesh-wide \S+ \((.+\.yaml)\) for idp\.example\.com$/.exec(lens.command!.title) ?? [];
    assert.ok(file, lens.command!.title);
    assert.equal(lens.range.start.line, 11);
    await vscode.commands.executeCommand(lens.command!.command, ...lens.command!.arguments!);
    await waitFor(`${file} to be the active editor`, () =>
      vscode.window.activeTextEditor?.document.uri.path.endsWith(`/${file}`) ? true : undefined,
    );
    const opened = vscode.window.activeTextEditor!;
    assert.match(opened.document.lineAt(opened.selection.start.line).text, /connectTimeout/, 'opens at the mesh-wide value');
  });

  it('follows a new DestinationRule file into the index, and its deletion out of it', async () => {
    const mesh = await openFixture('mesh-operator.yaml');
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const added = vscode.Uri.joinPath(folder, 'lint', 'generated-cache-dr.yaml');
    const text = [
      'apiVersion: networking.istio.io/v1',
      'kind: DestinationRule',
      'metadata:',
      '  name: cache',
      'spec:',
      '  host: cache.example.com',
      '  trafficPolicy:',
      '    connectionPool:',
      '      tcp:',
      '        connectTimeout: 20s',
      '',
    ].join('\n');
    const before = await waitFor('the override lenses', async () => {
      const n = overrideCount(lensTitles(await codeLenses(mesh.uri)));
      return n > 0 ? n : undefined;
    });
    await vscode.workspace.fs.writeFile(added, new TextEncoder().encode(text));
    try {
      await waitFor(`${before + 1} overriding rules`, async () =>
        overrideCount(lensTitles(await codeLenses(mesh.uri))) === before + 1 ? true : undefined,
      );
    } finally {
      await vscode.workspace.fs.delete(added);
    }
    await waitFor(`${before} overriding rules after the delete`, async () =>
      overrideCount(lensTitles(await codeLenses(mesh.uri))) === before ? true : undefined,
    );
  });
});

/** How many DestinationRules the mesh-wide lenses name: one lens each, or one lens counting them. */
function overrideCount(titles: readonly string[]): number {
  for (const title of titles) {
    const collapsed = /^Overridden by (\d+) DestinationRules for /.exec(title);
    if (collapsed) return Number(collapsed[1]);
  }
  return titles.filter((t) => t.startsWith('Overridden for ')).length;
}
