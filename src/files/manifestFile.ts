/**
 * Reading a manifest from disk without trusting it: only a regular file is read, and never more
 * than the size limit, whatever `stat` said (a FIFO or `/dev/zero` reports size 0, and a file can
 * grow while it is read). Node only, no VS Code: the CLI and the extension's workspace scan share it.
 */

import { closeSync, constants, fstatSync, openSync, readSync, type Dirent, type Stats } from 'node:fs';
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

/** Opened without blocking: a FIFO with no writer would otherwise hang the open. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens without blocking, then decides on what was opened, not on an earlier `stat`, so a file
 * swapped for a FIFO in between is still caught. Throws the file system's error (ENOENT, EACCES,
 * ELOOP) for the caller to describe.
 */
export async function readManifestFile(absolute: string, maxBytes: number): Promise<ManifestFileRead> {
  const handle = await open(absolute, OPEN_FLAGS);
  try {
    const read = startRead(await handle.stat(), maxBytes);
    if (!(read instanceof BoundedRead)) return read;
    for (let buffer = read.nextBuffer(); buffer !== null; buffer = read.nextBuffer()) {
      if (!read.took(buffer, (await handle.read(buffer, 0, buffer.length, null)).bytesRead)) break;
    }
    return read.result();
  } finally {
    await handle.close();
  }
}

/**
 * readManifestFile with synchronous calls, for the CLI, which has nothing else to do meanwhile: a
 * tree of thousands of files costs a few system calls each instead of thread-pool round trips.
 */
export function readManifestFileSync(absolute: string, maxBytes: number): ManifestFileRead {
  const fd = openSync(absolute, OPEN_FLAGS);
  try {
    const read = startRead(fstatSync(fd), maxBytes);
    if (!(read instanceof BoundedRead)) return read;
    for (let buffer = read.nextBuffer(); buffer !== null; buffer = read.nextBuffer()) {
      if (!read.took(buffer, readSync(fd, buffer, 0, buffer.length, null))) break;
    }
    return read.result();
  } finally {
    closeSync(fd);
  }
}

/** What an opened file is: a regular file within the limit (then read it), or the answer already. */
function startRead(info: Stats, maxBytes: number): BoundedRead | ManifestFileRead {
  if (!info.isFile()) return { kind: 'not-regular', what: describeFileType(info) };
  if (info.size > maxBytes) return { kind: 'too-large', bytes: info.size };
  return new BoundedRead(info.size, maxBytes);
}

/** The reads of one regular file, whichever API makes them: never more than one chunk past the limit. */
class BoundedRead {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  constructor(private readonly statSize: number, private readonly maxBytes: number) {}

  /** The buffer for the next read; null once past the limit. */
  nextBuffer(): Buffer | null {
    if (this.total > this.maxBytes) return null;
    // Sized to what stat promised, plus a probe for the end: a 1 MB buffer for each small file of a tree keeps the garbage collector busy.
    const wanted = this.total <= this.statSize ? this.statSize - this.total + GROWTH_PROBE_BYTES : CHUNK_BYTES;
    return Buffer.allocUnsafe(Math.min(CHUNK_BYTES, this.maxBytes + 1 - this.total, wanted));
  }

  /** Keeps what a read put in `buffer`; false when that was the end. */
  took(buffer: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.chunks.push(buffer.subarray(0, bytesRead));
    this.total += bytesRead;
    // A short read with all that stat promised is the end: no read more to learn it (one round trip per file of a tree).
    // Files of /proc read short a page at a time, but they report size 0, so they are read on to an empty read.
    return !(bytesRead < buffer.length && this.statSize > 0 && this.total >= this.statSize);
  }

  result(): ManifestFileRead {
    if (this.total > this.maxBytes) return { kind: 'too-large', bytes: Math.max(this.total, this.statSize) };
    // Editors do not count a byte order mark as a character; neither do the reported columns.
    return { kind: 'text', text: Buffer.concat(this.chunks, this.total).toString('utf8').replace(/^\uFEFF/, '') };
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
