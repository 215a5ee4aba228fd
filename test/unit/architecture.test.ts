import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

// ARCHITECTURE.md is the newcomer's map: a path it names that no longer exists is a lie.
describe('ARCHITECTURE.md', () => {
  it('names only files and folders that exist', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8');
    const named = [...new Set([...text.matchAll(/`((?:src|test|media)\/[A-Za-z0-9_./-]+)`/g)].map((m) => m[1].replace(/\/$/, '')))];
    assert.ok(named.length > 20, `only ${named.length} paths found`);
    const missing = named.filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)));
    assert.deepEqual(missing, []);
  });
});
