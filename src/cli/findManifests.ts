import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** Folders that never hold the user's manifests and can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml']);

export interface ManifestFile {
  /** The path as shown to the user: the argument, joined with the file's place below it. */
  readonly display: string;
  readonly absolute: string;
}

export interface ManifestSearch {
  readonly files: ManifestFile[];
  /** Arguments or folders that could not be read, with the reason. */
  readonly unreadable: { readonly display: string; readonly reason: string }[];
}

/**
 * Expands the command line's paths into manifest files: a file is taken as given (whatever its
 * extension), a folder is walked for *.yaml and *.yml. Symbolic links to folders are not followed,
 * so a link loop cannot make the walk endless.
 */
export async function findManifests(args: readonly string[], cwd: string): Promise<ManifestSearch> {
  const search: ManifestSearch = { files: [], unreadable: [] };
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    try {
      const info = await stat(absolute);
      if (info.isDirectory()) await walk(arg, absolute, search);
      else search.files.push({ display: arg, absolute });
    } catch (err) {
      search.unreadable.push({ display: arg, reason: describeFsError(err) });
    }
  }
  return search;
}

async function walk(display: string, absolute: string, search: ManifestSearch): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (err) {
    search.unreadable.push({ display, reason: describeFsError(err) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childDisplay = path.join(display, entry.name);
    const childAbsolute = path.join(absolute, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(childDisplay, childAbsolute, search);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      search.files.push({ display: childDisplay, absolute: childAbsolute });
    }
  }
}

/** `ENOENT: no such file or directory`, without the path Node repeats (the caller shows it). */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(err);
}
