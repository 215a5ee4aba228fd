/**
 * Reading a manifest from disk without trusting it: only a regular file is read, and never more
 * than the size limit, whatever `stat` said (a FIFO or `/dev/zero` reports size 0, and a file can
 * grow while it is read). Node only, no VS Code: the CLI and the extension's workspace scan share it.
 */

import { constants, type Dirent, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

export type ManifestFileRead =
  | { readonly kind: 'text'; readonly text: string }
  /** More than the limit; `bytes` is the size seen, at least limit + 1. */
  | { readonly kind: 'too-large'; readonly bytes: number }
  /** A FIFO, device, socket or directory: `what` names it for a message ("a FIFO"). */
  | { readonly kind: 'not-regular'; readonly what: string };

/** Read size per call, so a file that grows costs at most one chunk past the limit. */
const CHUNK_BYTES = 1024 * 1024;
/** Read past the size `stat` gave, to find the end; a file that grew since is read on in whole chunks. */
const GROWTH_PROBE_BYTES = 4096;

/**
 * Opens without blocking (a FIFO with no writer would otherwise hang the open), then decides on
 * what was opened, not on an earlier `stat`, so a file swapped for a FIFO in between is still caught.
 * Throws the file system's error (ENOENT, EACCES, ELOOP) for the caller to describe.
 */
export async function readManifestFile(absolute: string, maxBytes: number): Promise<ManifestFileRead> {
  const handle = await open(absolute, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'not-regular', what: describeFileType(info) };
    if (info.size > maxBytes) return { kind: 'too-large', bytes: info.size };
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      // Sized to what stat promised, plus a probe for the end: a 1 MB buffer for each small file of a tree keeps the garbage collector busy.
      const wanted = total <= info.size ? info.size - total + GROWTH_PROBE_BYTES : CHUNK_BYTES;
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total, wanted));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // A short read with all that stat promised is the end: no read more to learn it (one round trip per file of a tree).
      // Files of /proc read short a page at a time, but they report size 0, so they are read on to an empty read.
      if (bytesRead < chunk.length && info.size > 0 && total >= info.size) break;
    }
    if (total > maxBytes) return { kind: 'too-large', bytes: Math.max(total, info.size) };
    // Editors do not count a byte order mark as a character; neither do the reported columns.
    return { kind: 'text', text: Buffer.concat(chunks, total).toString('utf8').replace(/^\uFEFF/, '') };
  } finally {
    await handle.close();
  }
}

/** "a FIFO", "a character device", ...: what a path (or folder entry) that is not a regular file is. */
export function describeFileType(info: Stats | Dirent): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}
