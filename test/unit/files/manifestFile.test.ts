import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifestFile, readManifestFileSync, type ManifestFileRead } from '../../../src/files/manifestFile';

/** Both variants make the same decisions; the synchronous one's errors are thrown, taken here as rejections. */
const VARIANTS: readonly [string, (absolute: string, maxBytes: number) => Promise<ManifestFileRead>][] = [
  ['readManifestFile', readManifestFile],
  ['readManifestFileSync', async (absolute, maxBytes) => readManifestFileSync(absolute, maxBytes)],
];

for (const [name, readFile] of VARIANTS) describe(`${name}: only regular files, never past the limit`, () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-manifest-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, without its byte order mark', async () => {
    fs.writeFileSync(path.join(dir, 'a.yaml'), '\uFEFFkind: X\n');
    assert.deepEqual(await readFile(path.join(dir, 'a.yaml'), 100), { kind: 'text', text: 'kind: X\n' });
  });

  it('declines a FIFO without waiting for a writer', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    assert.deepEqual(await readFile(path.join(dir, 'pipe.yaml'), 100), { kind: 'not-regular', what: 'a FIFO' });
  });

  it('declines /dev/zero behind a link, whose size reads 0', async () => {
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    assert.deepEqual(await readFile(path.join(dir, 'zero.yaml'), 100), { kind: 'not-regular', what: 'a character device' });
  });

  it('declines a file over the limit', async () => {
    fs.writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(101));
    assert.deepEqual(await readFile(path.join(dir, 'big.yaml'), 100), { kind: 'too-large', bytes: 101 });
    fs.writeFileSync(path.join(dir, 'edge.yaml'), 'x'.repeat(100));
    assert.equal((await readFile(path.join(dir, 'edge.yaml'), 100)).kind, 'text');
  });

  it('reads a file of several read chunks whole', async () => {
    const text = `${'kind: X # é\n'.repeat(250_000)}`;
    fs.writeFileSync(path.join(dir, 'large.yaml'), text);
    assert.deepEqual(await readFile(path.join(dir, 'large.yaml'), 10 * 1024 * 1024), { kind: 'text', text });
  });

  it('reads past the size stat gave, to the end or the limit (a file that grew, like /proc, whose files report size 0)', async () => {
    // Node's memory map is many kilobytes, though stat calls it empty: more than the probe read past the stated size.
    const read = await readFile('/proc/self/maps', 10 * 1024 * 1024);
    assert.equal(read.kind, 'text');
    assert.ok(read.kind === 'text' && read.text.length > 4096 && read.text.endsWith('\n'), 'the whole map');
    assert.equal((await readFile('/proc/self/maps', 4500)).kind, 'too-large');
  });

  it('passes on the file system error of a link loop', async () => {
    fs.symlinkSync('loop.yaml', path.join(dir, 'loop.yaml'));
    await assert.rejects(readFile(path.join(dir, 'loop.yaml'), 100), { code: 'ELOOP' });
  });
});
