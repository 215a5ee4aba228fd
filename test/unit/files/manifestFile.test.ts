import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifestFile } from '../../../src/files/manifestFile';

describe('readManifestFile: only regular files, never past the limit', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-manifest-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, without its byte order mark', async () => {
    fs.writeFileSync(path.join(dir, 'a.yaml'), '\uFEFFkind: X\n');
    assert.deepEqual(await readManifestFile(path.join(dir, 'a.yaml'), 100), { kind: 'text', text: 'kind: X\n' });
  });

  it('declines a FIFO without waiting for a writer', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    assert.deepEqual(await readManifestFile(path.join(dir, 'pipe.yaml'), 100), { kind: 'not-regular', what: 'a FIFO' });
  });

  it('declines /dev/zero behind a link, whose size reads 0', async () => {
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    assert.deepEqual(await readManifestFile(path.join(dir, 'zero.yaml'), 100), { kind: 'not-regular', what: 'a character device' });
  });

  it('declines a file over the limit', async () => {
    fs.writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(101));
    assert.deepEqual(await readManifestFile(path.join(dir, 'big.yaml'), 100), { kind: 'too-large', bytes: 101 });
    fs.writeFileSync(path.join(dir, 'edge.yaml'), 'x'.repeat(100));
    assert.equal((await readManifestFile(path.join(dir, 'edge.yaml'), 100)).kind, 'text');
  });

  it('passes on the file system error of a link loop', async () => {
    fs.symlinkSync('loop.yaml', path.join(dir, 'loop.yaml'));
    await assert.rejects(readManifestFile(path.join(dir, 'loop.yaml'), 100), { code: 'ELOOP' });
  });
});
