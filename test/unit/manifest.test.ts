import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../host/paths';

interface Manifest {
  engines: { vscode: string };
  activationEvents: string[];
  main: string;
  icon: string;
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; icon?: unknown }[];
    menus: Record<string, { command: string }[]>;
    viewsContainers: { activitybar: { icon: string }[] };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('package.json', () => {
  it('never activates on everything or at start-up', () => {
    const eager = manifest.activationEvents.filter((e) => e === '*' || e === 'onStartupFinished');
    assert.deepStrictEqual(eager, []);
    assert.ok(manifest.activationEvents.includes('onLanguage:yaml'));
  });

  it('asks for a VS Code the test host (1.139) satisfies and no newer than the API typings used', () => {
    const min = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(min, `engines.vscode ${manifest.engines.vscode} is not a ^1.x.y range`);
    assert.ok(Number(min[1]) <= 139);
    const types = /(\d+)\.(\d+)/.exec(manifest.devDependencies['@types/vscode']);
    assert.ok(types && Number(types[2]) <= Number(min[1]), '@types/vscode is newer than engines.vscode promises');
  });

  it('implements every command it contributes, and contributes every command its menus name', () => {
    const source = sourceFiles(path.join(repoRoot, 'src')).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    const unimplemented = [...contributed].filter((id) => !source.includes(`'${id}'`));
    assert.deepStrictEqual(unimplemented, [], 'contributed commands with no implementation in src/');
    const menuCommands = Object.values(manifest.contributes.menus).flat().map((m) => m.command);
    assert.deepStrictEqual(menuCommands.filter((c) => !contributed.has(c)), [], 'menus name commands that are not contributed');
  });

  it('points at icons that exist', () => {
    for (const icon of [manifest.icon, ...manifest.contributes.viewsContainers.activitybar.map((a) => a.icon)]) {
      assert.ok(fs.existsSync(path.join(repoRoot, icon)), `${icon} is missing`);
    }
  });
});
