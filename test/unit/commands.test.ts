import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS } from '../../src/commands';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

interface Manifest {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
}

describe('the command table', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;

  it('registers exactly the commands package.json contributes, each once', () => {
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length, 'an id is listed twice');
    assert.deepEqual([...COMMAND_IDS].sort(), manifest.contributes.commands.map((c) => c.command).sort());
  });

  it('has a menu entry only for commands it registers', () => {
    const known = new Set<string>(COMMAND_IDS);
    const unknown = Object.values(manifest.contributes.menus).flat().map((m) => m.command).filter((c) => !known.has(c));
    assert.deepEqual(unknown, []);
  });
});
